import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { IngestionModule } from '../ingestion.module';
import { InboxScheduler } from './inbox.scheduler';
import { InboxService } from './inbox.service';

/** Imports from inbox folders; for the worker (on schedule) and the CLI (one pass, or on schedule). */
@Module({
  imports: [ScheduleModule.forRoot(), IngestionModule],
  providers: [InboxService, InboxScheduler],
  exports: [InboxService, InboxScheduler],
})
export class InboxModule {}

import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { InboxModule, InboxScheduler, IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';

/** The BullMQ worker: consumes the import jobs that the API and the CLI enqueue, and imports from the inboxes on schedule. */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('always'), IngestionModule, InboxModule],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(private readonly inboxes: InboxScheduler) {}

  onApplicationBootstrap(): void {
    this.inboxes.start();
  }
}

import { Module } from '@nestjs/common';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';

/** The BullMQ worker: consumes the import jobs that the API and the CLI enqueue. */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('always'), IngestionModule],
})
export class WorkerModule {}

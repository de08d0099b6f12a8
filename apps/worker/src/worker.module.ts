import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { ImportRecovery, InboxModule, InboxScheduler, IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { ReportScheduler, ReportsModule } from '@qc/reports';

/** The BullMQ worker: consumes the import jobs that the API and the CLI enqueue, and imports from the inboxes on schedule. */
@Module({
  imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('always'), IngestionModule, InboxModule, ReportsModule],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(private readonly inboxes: InboxScheduler, private readonly recovery: ImportRecovery, private readonly reports: ReportScheduler) {}

  onApplicationBootstrap(): void {
    this.inboxes.start();
    this.recovery.start();
    this.reports.start();
  }
}

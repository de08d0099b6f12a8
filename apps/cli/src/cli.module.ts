import { Module } from '@nestjs/common';
import { AuthModule } from '@qc/auth';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { DivisionsModule } from '@qc/divisions';
import { InboxModule, IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { RegistryModule } from '@qc/registry';
import { ReportsModule } from '@qc/reports';
import { DbCommand, DbMigrateCommand, DbRevertCommand, DbSeedCommand } from './commands/db.command';
import { DemoCommand } from './commands/demo.command';
import { LinksCommand, LinksExportCommand, RejectsCommand, RejectsExportCommand } from './commands/export.command';
import { InboxCommand, InboxRunCommand } from './commands/inbox.command';
import { ImportCommand, ImportsListCommand } from './commands/import.command';
import { EntitiesCommand, EntitiesMergeCommand, EntitiesUnmergeCommand } from './commands/entities.command';
import { ReviewCommand, ReviewDecideCommand, ReviewListCommand, ReviewShowCommand } from './commands/review.command';
import { KeysCommand, KeysCreateCommand, KeysListCommand, KeysRevokeCommand } from './commands/keys.command';
import { ReportCommand } from './commands/report.command';
import { ImportsRollbackCommand } from './commands/rollback.command';
import { MatchingCommand, MatchingTrainCommand } from './commands/matching.command';
import { ServeCommand } from './commands/serve.command';
import { Output } from './output';

@Module({
  imports: [
    ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('on-demand'),
    AuthModule, DivisionsModule, IngestionModule, InboxModule, RegistryModule, ReportsModule,
  ],
  providers: [
    Output,
    ReviewCommand, ReviewListCommand, ReviewShowCommand, ReviewDecideCommand,
    EntitiesCommand, EntitiesMergeCommand, EntitiesUnmergeCommand,
    DbCommand, DbMigrateCommand, DbRevertCommand, DbSeedCommand,
    ImportCommand, ImportsListCommand, ImportsRollbackCommand,
    MatchingCommand, MatchingTrainCommand,
    InboxCommand, InboxRunCommand,
    LinksCommand, LinksExportCommand, RejectsCommand, RejectsExportCommand,
    KeysCommand, KeysCreateCommand, KeysRevokeCommand, KeysListCommand,
    ServeCommand, DemoCommand, ReportCommand,
  ],
})
export class CliModule {}

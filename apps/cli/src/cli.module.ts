import { Module } from '@nestjs/common';
import { ConfigCommand } from './commands/config.command';
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
import { Runtime } from './runtime';

/**
 * The commands only: parsing and help need nothing else. The registry's services (and the database)
 * come from Runtime, built when a command that needs them runs.
 */
@Module({
  providers: [
    Output, Runtime,
    ConfigCommand,
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

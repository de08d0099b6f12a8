import { Module } from '@nestjs/common';
import { DivisionsModule } from '@qc/divisions';
import { PiiModule } from '@qc/pii';
import { RegistryModule } from '@qc/registry';
import { BatchAttempts } from './batch-attempts';
import { ImportRecovery } from './import-recovery';
import { InboxRuns } from './inbox/inbox-runs';
import { ImportsService } from './imports.service';
import { MergeHandler } from './merge.handler';
import { SOURCE_DEFINITIONS, SourceRegistry } from './source-registry';
import { StageHandler } from './stage.handler';

@Module({
  imports: [DivisionsModule, PiiModule, RegistryModule],
  providers: [ImportsService, InboxRuns, ImportRecovery, BatchAttempts, StageHandler, MergeHandler, SourceRegistry, ...SOURCE_DEFINITIONS],
  exports: [ImportsService, ImportRecovery, InboxRuns],
})
export class IngestionModule {}

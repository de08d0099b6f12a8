import { Module } from '@nestjs/common';
import { DivisionsModule } from '@qc/divisions';
import { ImportsService } from './imports.service';
import { MergeHandler } from './merge.handler';
import { SourceRegistry } from './source-registry';
import { CommunityBasicsSource } from './sources/community-basics.source';
import { StageHandler } from './stage.handler';

@Module({
  imports: [DivisionsModule],
  providers: [ImportsService, StageHandler, MergeHandler, SourceRegistry, CommunityBasicsSource],
  exports: [ImportsService],
})
export class IngestionModule {}

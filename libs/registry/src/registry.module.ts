import { Module } from '@nestjs/common';
import { ChangeRecorder } from '@qc/changes';
import { BatchRollbackService } from './batch-rollback.service';
import { CurationService } from './curation.service';
import { LineageReader } from './lineage-reader';
import { MergeSessionFactory } from './merge-session';
import { ReviewQueue } from './review-queue';

@Module({
  providers: [ChangeRecorder, MergeSessionFactory, CurationService, ReviewQueue, LineageReader, BatchRollbackService],
  exports: [MergeSessionFactory, CurationService, ReviewQueue, LineageReader, BatchRollbackService],
})
export class RegistryModule {}

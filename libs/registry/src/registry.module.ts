import { Module } from '@nestjs/common';
import { ChangeRecorder } from '@qc/changes';
import { BatchRollbackService } from './batch-rollback.service';
import { CurationService } from './curation.service';
import { LineageReader } from './lineage-reader';
import { MergeLog } from './merge-log';
import { MergeSessionFactory } from './merge-session';
import { ReviewQueue } from './review-queue';

@Module({
  providers: [ChangeRecorder, MergeSessionFactory, CurationService, ReviewQueue, LineageReader, BatchRollbackService, MergeLog],
  exports: [MergeSessionFactory, CurationService, ReviewQueue, LineageReader, BatchRollbackService, MergeLog],
})
export class RegistryModule {}

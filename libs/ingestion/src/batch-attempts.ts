import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { ImportBatch } from '@qc/database';
import { LOGGER, Logger } from '@qc/logging';
import { DataSource, EntityManager, In } from 'typeorm';

/** The step of an import a job does: reading the file, or applying it to the registry. */
export type BatchStep = 'stage' | 'merge';

const UNFINISHED: ImportBatch['status'][] = ['queued', 'staging', 'merging'];

/**
 * The one rule on attempts: a batch may start at most `importMaxAttempts` jobs for a step. A file
 * that kills its worker (out of memory, say) leaves its job stalled rather than failed, and BullMQ
 * and the recovery sweep would hand it out again for ever; the count lives in PostgreSQL because
 * the process that should have counted the failure is dead.
 */
@Injectable()
export class BatchAttempts {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Counts a job that starts work on the batch (committed at once, before any work, so a worker that
   * dies is counted). Returns false, having failed the batch, when the batch has no attempt left.
   */
  async begin(manager: EntityManager, batchId: string, step: BatchStep): Promise<boolean> {
    const [rows] = (await manager.query(
      'UPDATE import_batch SET attempts = attempts + 1, last_attempt_at = now() WHERE id = $1 RETURNING attempts, file_name AS "fileName"',
      [batchId],
    )) as [{ attempts: number; fileName: string }[], number];
    const [{ attempts, fileName }] = rows;
    if (attempts <= this.config.importMaxAttempts) return true;
    await this.giveUp({ id: batchId, fileName, attempts: attempts - 1 }, step);
    return false;
  }

  /** Whether the batch has started as many jobs as it may: another one would be one too many. */
  exhausted(batch: Pick<ImportBatch, 'attempts'>): boolean {
    return batch.attempts >= this.config.importMaxAttempts;
  }

  /** Whether the batch failed because its jobs never finished (what reading the file again would repeat). */
  gaveUp(batch: Pick<ImportBatch, 'status' | 'attempts'>): boolean {
    return batch.status === 'failed' && this.exhausted(batch);
  }

  /** Fails an unfinished batch whose jobs never finished, with a reason that names the file. */
  async giveUp(batch: Pick<ImportBatch, 'id' | 'fileName' | 'attempts'>, step: BatchStep): Promise<void> {
    const reason = `${batch.fileName}: the worker stopped ${batch.attempts} times while ${step === 'merge' ? 'applying' : 'reading'} this file: it may need more memory than the worker has`;
    this.logger.error({ batch: batch.id, attempts: batch.attempts, step }, 'batch failed: its jobs never finished');
    await this.dataSource.getRepository(ImportBatch).update({ id: batch.id, status: In(UNFINISHED) }, { status: 'failed', error: reason, finishedAt: new Date() });
  }
}

/** The step an unfinished batch is at. */
export function stepOf(batch: Pick<ImportBatch, 'status'>): BatchStep {
  return batch.status === 'merging' ? 'merge' : 'stage';
}

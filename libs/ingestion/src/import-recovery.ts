import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { ImportBatch } from '@qc/database';
import { JobName, JobQueue } from '@qc/jobs';
import { LOGGER, Logger } from '@qc/logging';
import { DataSource, In } from 'typeorm';
import { BatchAttempts, stepOf } from './batch-attempts';
import { requeueOpenRanges } from './stage-range-jobs';

/**
 * PostgreSQL, not Redis, is the record of what is left to do: a batch that is not final has a job
 * waiting or running, or it gets one again (its stage while queued or staging, its merge while
 * merging). The handlers are safe to run again, so a job queued twice does its work once.
 */
@Injectable()
export class ImportRecovery implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly attempts: BatchAttempts,
  ) {}

  /** Checks now, then every importRecoveryMs, until the application shuts down. */
  start(): void {
    const sweep = () => this.requeueLost().catch((err: Error) => this.logger.warn({ err: err.message }, 'import recovery check failed'));
    void sweep();
    this.timer = setInterval(sweep, this.config.importRecoveryMs);
  }

  /**
   * Queues again the job of every unfinished batch whose job is gone, and fails those that have used
   * all their attempts instead (a file that killed the worker every time); returns the ids requeued.
   */
  async requeueLost(): Promise<string[]> {
    const unfinished = await this.dataSource.getRepository(ImportBatch).find({
      select: { id: true, status: true, fileName: true, attempts: true, stageRun: true, stageRangesLeft: true }, where: { status: In(['queued', 'staging', 'merging']) },
    });
    const requeued: string[] = [];
    for (const batch of unfinished) {
      const step = stepOf(batch);
      const job = step === 'merge' ? JobName.ImportMerge : JobName.ImportStage;
      if (this.attempts.exhausted(batch)) {
        if (!(await this.queue.isPending(job, { batchId: batch.id }))) await this.attempts.giveUp(batch, step);
      } else if (step === 'stage' && batch.stageRangesLeft) {
        // A file staged in ranges: its stage job has done its part; what may be lost is the ranges' jobs.
        if ((await requeueOpenRanges(this.dataSource, this.queue, batch)) > 0) requeued.push(batch.id);
      } else if (await this.queue.requeue(job, { batchId: batch.id })) requeued.push(batch.id);
    }
    if (requeued.length > 0) this.logger.warn({ batches: requeued }, 'queued the lost jobs of unfinished batches again');
    return requeued;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

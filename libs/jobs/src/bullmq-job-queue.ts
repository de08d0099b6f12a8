import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import { LOGGER, Logger } from '@qc/logging';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import type Redis from 'ioredis';
import { JobDispatcher } from './job-dispatcher';
import { JobQueue } from './job-queue';
import { PermanentJobError } from './job-handler';
import { JobName, JobPayloads, QueueName, jobIdFor } from './job-names';

/** Job states in which the job will still run (or is running): requeueing it would run it twice. */
const PENDING_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** The BullMQ consumer: hands every job of the imports queue to its @OnJob handler. */
@Processor(QueueName.Imports, { autorun: false })
export class ImportsQueueProcessor extends WorkerHost {
  constructor(private readonly dispatcher: JobDispatcher) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const attempts = job.opts.attempts ?? 1;
    try {
      return await this.dispatcher.dispatch(job.name as JobName, job.data, {
        attempt: job.attemptsMade + 1,
        willRetry: job.attemptsMade + 1 < attempts,
        // Progress is kept in PostgreSQL too: a Redis that is away (or lost the job) must not stop the work.
        progress: async (done, total) => {
          void job.updateProgress({ done, total: total ?? null }).catch(() => undefined);
        },
      });
    } catch (err) {
      // BullMQ retries every error unless told it is unrecoverable.
      if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }
}

@Injectable()
export class BullJobQueue implements JobQueue {
  readonly transport = 'bullmq' as const;
  private consuming = false;

  constructor(
    @InjectQueue(QueueName.Imports) private readonly imports: Queue,
    private readonly config: AppConfig,
    private readonly dispatcher: JobDispatcher,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional() private readonly processor?: ImportsQueueProcessor,
  ) {}

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void> {
    await this.imports.add(name, data, {
      jobId: jobIdFor(name, data),
      attempts: this.config.jobAttempts,
      backoff: { type: 'exponential', delay: this.config.jobBackoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
  }

  async consumersOnline(): Promise<boolean> {
    if (this.consuming) return true;
    // This process's own Worker is connected (and named as a worker) even while it does not run: not a consumer.
    const own = this.processor ? String(await ((await this.processor.worker.waitUntilReady()) as unknown as Redis).client('ID')) : null;
    const workers = await this.imports.getWorkers();
    return workers.some((worker) => worker.id !== own);
  }

  async isPending<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean> {
    return (await this.lookUp(name, data)).pending;
  }

  async requeue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean> {
    const { job, pending } = await this.lookUp(name, data);
    if (pending) return false;
    if (job) {
      // A finished job keeps its id: it must go before the same id can be queued again.
      await job.remove();
    }
    await this.enqueue(name, data);
    return true;
  }

  private async lookUp<N extends JobName>(name: N, data: JobPayloads[N]): Promise<{ job: Job | undefined; pending: boolean }> {
    const job = await this.imports.getJob(jobIdFor(name, data));
    return { job, pending: job !== undefined && PENDING_STATES.has(await job.getState()) };
  }

  async consumeHere(): Promise<void> {
    if (this.consuming) return;
    if (!this.processor) throw new Error('this process was not set up to consume jobs');
    this.dispatcher.assertComplete();
    this.consuming = true;
    const worker = this.processor.worker;
    worker.concurrency = this.config.importConcurrency;
    worker.on('failed', (job, err) => this.logger.warn({ job: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
    void worker.run().catch((err: Error) => this.logger.error({ err: err.message }, 'worker stopped'));
  }
}

import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import { LOGGER, Logger } from '@qc/logging';
import { JobDispatcher } from './job-dispatcher';
import { JobQueue } from './job-queue';
import { PermanentJobError } from './job-handler';
import { JobName, JobPayloads, jobIdFor } from './job-names';

interface PendingJob { id: string; name: JobName; data: JobPayloads[JobName] }

/** Runs jobs inside this process, with the same handlers, retries and backoff as the BullMQ worker. */
@Injectable()
export class InProcessJobQueue implements JobQueue, OnApplicationShutdown {
  readonly transport = 'in-process' as const;
  private readonly waiting: PendingJob[] = [];
  private readonly known = new Set<string>();
  private running = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void> {
    const id = jobIdFor(name, data);
    if (this.known.has(id)) return;
    this.known.add(id);
    this.waiting.push({ id, name, data });
    setImmediate(() => this.pump());
  }

  async consumersOnline(): Promise<boolean> {
    return true;
  }

  async isPending<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean> {
    return this.known.has(jobIdFor(name, data));
  }

  async requeue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean> {
    if (await this.isPending(name, data)) return false;
    await this.enqueue(name, data);
    return true;
  }

  async consumeHere(): Promise<void> {
    this.dispatcher.assertComplete();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    await this.idle();
  }

  private pump(): void {
    while (!this.closed && this.running < this.config.importConcurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void this.run(job).finally(() => {
        this.running--;
        this.known.delete(job.id);
        if (this.running === 0 && this.waiting.length === 0) {
          for (const resolve of this.idleWaiters.splice(0)) resolve();
        }
        this.pump();
      });
    }
  }

  private async run(job: PendingJob): Promise<void> {
    const attempts = this.config.jobAttempts;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const willRetry = attempt < attempts;
      try {
        await this.dispatcher.dispatch(job.name, job.data, { attempt, willRetry, progress: async () => undefined });
        return;
      } catch (err) {
        const permanent = err instanceof PermanentJobError;
        this.logger.warn({ job: job.id, attempt, err: (err as Error).message }, 'job failed');
        if (permanent || !willRetry || this.closed) return;
        await new Promise((resolve) => setTimeout(resolve, this.config.jobBackoffMs * 2 ** (attempt - 1)));
      }
    }
  }
}

import { JobName, JobPayloads } from './job-names';

/** What producers see: the transport (BullMQ or in-process) is chosen by configuration. */
export abstract class JobQueue {
  abstract readonly transport: 'bullmq' | 'in-process';
  abstract enqueue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<void>;
  /** Whether some process is consuming jobs right now. */
  abstract consumersOnline(): Promise<boolean>;
  /**
   * Enqueues the job again unless it is waiting, delayed or running; true when it did. Recovers work
   * whose job was lost (a Redis restarted without persistence) from the state kept in PostgreSQL.
   */
  abstract requeue<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean>;
  /** Whether the job is waiting, delayed or running (it will run, or runs now). */
  abstract isPending<N extends JobName>(name: N, data: JobPayloads[N]): Promise<boolean>;
  /** Start consuming in this process (the CLI does so when no worker is running). */
  abstract consumeHere(): Promise<void>;
}

import { SetMetadata } from '@nestjs/common';
import { JobName } from './job-names';

export const JOB_HANDLER = Symbol('JOB_HANDLER');

export interface JobContext {
  /** 1 for the first try. */
  attempt: number;
  /** Whether another attempt follows if this one throws. */
  willRetry: boolean;
  progress(done: number, total?: number | null): Promise<void>;
}

/** Marks a service method as the handler of a job; discovered at start-up. */
export const OnJob = (name: JobName) => SetMetadata(JOB_HANDLER, name);

/** A job error that retrying cannot fix (bad input, missing batch): fail at once. */
export class PermanentJobError extends Error {}

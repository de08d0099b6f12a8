/** Every queue and job of the platform, in one place. */
export enum QueueName {
  Imports = 'imports',
}

export enum JobName {
  /** Read, parse and validate a file's rows into source records (rejects recorded with reasons). */
  ImportStage = 'import.stage',
  /** Match the staged records against the registry and apply them, in one transaction. */
  ImportMerge = 'import.merge',
}

export const JOB_QUEUES: Record<JobName, QueueName> = {
  [JobName.ImportStage]: QueueName.Imports,
  [JobName.ImportMerge]: QueueName.Imports,
};

/** Payload of each job; the handler for a job takes exactly this. */
export interface JobPayloads {
  [JobName.ImportStage]: { batchId: string };
  [JobName.ImportMerge]: { batchId: string };
}

/** One place that chooses job ids, so a job enqueued twice for the same batch runs once. */
export function jobIdFor<N extends JobName>(name: N, data: JobPayloads[N]): string {
  return `${name}--${data.batchId}`;
}

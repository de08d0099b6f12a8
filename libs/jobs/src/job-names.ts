/** Every queue and job of the platform, in one place. */
export enum QueueName {
  Imports = 'imports',
}

export enum JobName {
  /** Read, parse and validate a file's rows into source records (rejects recorded with reasons). */
  ImportStage = 'import.stage',
  /** Stage one byte range of a large CSV file (the stage cut it into ranges); the last range queues the merge. */
  ImportStageRange = 'import.stage-range',
  /** Match the staged records against the registry and apply them, in one transaction. */
  ImportMerge = 'import.merge',
}

export const JOB_QUEUES: Record<JobName, QueueName> = {
  [JobName.ImportStage]: QueueName.Imports,
  [JobName.ImportStageRange]: QueueName.Imports,
  [JobName.ImportMerge]: QueueName.Imports,
};

/** Payload of each job; the handler for a job takes exactly this. */
export interface JobPayloads {
  [JobName.ImportStage]: { batchId: string };
  /** `run`: the stage run (import_batch.stage_run) that cut the file; `range`: stage_range.no. */
  [JobName.ImportStageRange]: { batchId: string; run: number; range: number };
  [JobName.ImportMerge]: { batchId: string };
}

/** One place that chooses job ids, so a job enqueued twice for the same batch runs once. */
export function jobIdFor<N extends JobName>(name: N, data: JobPayloads[N]): string {
  if ('range' in data) return `${name}--${data.batchId}--${data.run}-${data.range}`;
  return `${name}--${data.batchId}`;
}

import { ImportBatch, StageRange } from '@qc/database';
import { JobName, JobQueue } from '@qc/jobs';
import { DataSource, IsNull } from 'typeorm';

/** Queues again the jobs of a file's ranges not yet staged, where they are gone (not waiting or running); returns how many. */
export async function requeueOpenRanges(dataSource: DataSource, queue: JobQueue, batch: Pick<ImportBatch, 'id' | 'stageRun'>): Promise<number> {
  const open = await dataSource.getRepository(StageRange).find({ select: { no: true }, where: { batchId: batch.id, run: batch.stageRun, counts: IsNull() } });
  let requeued = 0;
  for (const { no } of open) {
    if (await queue.requeue(JobName.ImportStageRange, { batchId: batch.id, run: batch.stageRun, range: no })) requeued++;
  }
  return requeued;
}

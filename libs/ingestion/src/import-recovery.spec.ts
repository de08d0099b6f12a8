import { AppConfig } from '@qc/config';
import { ImportBatch, StageRange } from '@qc/database';
import { JobName, JobQueue } from '@qc/jobs';
import { Logger } from '@qc/logging';
import { DataSource, EntityManager } from 'typeorm';
import { BatchAttempts } from './batch-attempts';
import { ImportRecovery } from './import-recovery';

type Batch = Pick<ImportBatch, 'id' | 'status' | 'fileName' | 'attempts'> & Partial<Pick<ImportBatch, 'error' | 'finishedAt' | 'stageRun' | 'stageRangesLeft'>>;

/** A database of unfinished batches (and the ranges not yet staged of those staged in ranges) whose updates are applied to them, as PostgreSQL would. */
function fakeDatabase(batches: Batch[], openRanges: Pick<StageRange, 'batchId' | 'no'>[] = []) {
  const update = jest.fn(async ({ id }: { id: string }, changes: Partial<ImportBatch>) => {
    Object.assign(batches.find((b) => b.id === id)!, changes);
  });
  const find = jest.fn(async () => batches.filter((b) => ['queued', 'staging', 'merging'].includes(b.status)));
  const findRanges = jest.fn(async ({ where: { batchId } }: { where: { batchId: string } }) => openRanges.filter((r) => r.batchId === batchId));
  const getRepository = (entity: unknown) => (entity === StageRange ? { find: findRanges } : { find, update });
  return { dataSource: { getRepository } as unknown as DataSource, update };
}

const config = { importMaxAttempts: 3, importRecoveryMs: 60_000 } as AppConfig;
const logger = { warn: jest.fn(), error: jest.fn(), info: jest.fn() } as unknown as Logger;

describe('ImportRecovery with attempts counted per batch', () => {
  function sweep(batches: Batch[], pendingJobs: string[] = [], openRanges: Pick<StageRange, 'batchId' | 'no'>[] = []) {
    const { dataSource } = fakeDatabase(batches, openRanges);
    const requeue = jest.fn(async (_name: JobName, data: { batchId: string; range?: number }) => !pendingJobs.includes(data.range === undefined ? data.batchId : `${data.batchId}/${data.range}`));
    const queue = { isPending: jest.fn(async (_name: JobName, { batchId }: { batchId: string }) => pendingJobs.includes(batchId)), requeue } as unknown as JobQueue;
    const recovery = new ImportRecovery(dataSource, queue, config, logger, new BatchAttempts(dataSource, config, logger));
    return { run: () => recovery.requeueLost(), requeue };
  }

  it('queues again a lost job whose batch has attempts left, and fails one that used them all, with a reason naming the file', async () => {
    const batches: Batch[] = [
      { id: 'b1', status: 'staging', fileName: '社区党员.xlsx', attempts: 2 },
      { id: 'b2', status: 'staging', fileName: '共享字符串.xlsx', attempts: 3 },
      { id: 'b3', status: 'merging', fileName: '网格.csv', attempts: 3 },
    ];
    const { run, requeue } = sweep(batches);
    expect(await run()).toEqual(['b1']);
    expect(requeue).toHaveBeenCalledTimes(1);
    expect(requeue).toHaveBeenCalledWith(JobName.ImportStage, { batchId: 'b1' });
    expect(batches.map((b) => b.status)).toEqual(['staging', 'failed', 'failed']);
    expect(batches[1]).toMatchObject({
      error: '共享字符串.xlsx: the worker stopped 3 times while reading this file: it may need more memory than the worker has',
      finishedAt: expect.any(Date),
    });
    expect(batches[2].error).toBe('网格.csv: the worker stopped 3 times while applying this file: it may need more memory than the worker has');
  });

  it('queues again the lost jobs of the ranges of a file staged in ranges, not its stage job', async () => {
    const batches: Batch[] = [
      { id: 'b1', status: 'staging', fileName: 'big.csv', attempts: 1, stageRun: 2, stageRangesLeft: 3 },
      { id: 'b2', status: 'staging', fileName: 'other.csv', attempts: 1, stageRun: 1, stageRangesLeft: 1 },
    ];
    const { run, requeue } = sweep(batches, ['b1/4', 'b2/0'], [{ batchId: 'b1', no: 1 }, { batchId: 'b1', no: 4 }, { batchId: 'b1', no: 6 }, { batchId: 'b2', no: 0 }]);
    // b2's one open range is running: nothing of it is lost.
    expect(await run()).toEqual(['b1']);
    expect(requeue.mock.calls).toEqual([
      [JobName.ImportStageRange, { batchId: 'b1', run: 2, range: 1 }],
      [JobName.ImportStageRange, { batchId: 'b1', run: 2, range: 4 }],
      [JobName.ImportStageRange, { batchId: 'b1', run: 2, range: 6 }],
      [JobName.ImportStageRange, { batchId: 'b2', run: 1, range: 0 }],
    ]);
  });

  it('leaves alone a batch on its last attempt while that attempt runs', async () => {
    const batches: Batch[] = [{ id: 'b1', status: 'staging', fileName: 'a.xlsx', attempts: 3 }];
    const { run, requeue } = sweep(batches, ['b1']);
    expect(await run()).toEqual([]);
    expect(requeue).not.toHaveBeenCalled();
    expect(batches[0].status).toBe('staging');
  });
});

describe('BatchAttempts.begin', () => {
  function begin(attemptsAfter: number) {
    const batches: Batch[] = [{ id: 'b1', status: 'staging', fileName: 'a.xlsx', attempts: attemptsAfter - 1 }];
    const { dataSource } = fakeDatabase(batches);
    const manager = { query: jest.fn(async () => [[{ attempts: attemptsAfter, fileName: 'a.xlsx' }], 1]) } as unknown as EntityManager;
    return { started: new BatchAttempts(dataSource, config, logger).begin(manager, 'b1', 'stage'), batches };
  }

  it('lets the last allowed attempt start', async () => {
    const { started, batches } = begin(3);
    expect(await started).toBe(true);
    expect(batches[0].status).toBe('staging');
  });

  it('fails the batch instead of starting one attempt too many (a stalled job BullMQ handed back)', async () => {
    const { started, batches } = begin(4);
    expect(await started).toBe(false);
    expect(batches[0]).toMatchObject({ status: 'failed', error: 'a.xlsx: the worker stopped 3 times while reading this file: it may need more memory than the worker has' });
  });
});

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FINAL_BATCH_STATUSES, ImportBatch, Rejection } from '@qc/database';
import { JobName, JobQueue } from '@qc/jobs';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportSummary, summarize } from './import-summary';

export class ImportRequestError extends Error {}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Starts imports and reports on them; the work itself happens in the stage and merge jobs. */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Records a batch for a file and queues it. A file identical to one already imported is not
   * read again: its batch is marked unchanged at once.
   */
  async submit(path: string, trigger: string, displayName = basename(path)): Promise<ImportBatch> {
    const filePath = resolve(path);
    const info = await stat(filePath).catch(() => null);
    if (!info?.isFile()) throw new ImportRequestError(`${displayName}: no such file`);
    const fileSha256 = await sha256Of(filePath);
    const batches = this.dataSource.getRepository(ImportBatch);
    const previous = await batches.findOneBy({ fileSha256, status: 'completed' });
    if (previous) {
      return batches.save(batches.create({
        fileName: displayName, filePath, fileSha256, fileBytes: String(info.size), trigger, status: 'unchanged',
        sourceKind: previous.sourceKind, sameAsBatchId: previous.id, rowsRead: previous.rowsRead,
        accepted: previous.accepted, rejected: previous.rejected, skipped: previous.skipped,
        created: 0, updated: 0, matched: previous.accepted, finishedAt: new Date(),
      }));
    }
    const batch = await batches.save(batches.create({ fileName: displayName, filePath, fileSha256, fileBytes: String(info.size), trigger, status: 'queued' }));
    await this.queue.enqueue(JobName.ImportStage, { batchId: batch.id });
    return batch;
  }

  get(batchId: string): Promise<ImportBatch | null> {
    return this.dataSource.getRepository(ImportBatch).findOneBy({ id: batchId });
  }

  list(limit = 50): Promise<ImportBatch[]> {
    return this.dataSource.getRepository(ImportBatch).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  rejections(batchId: string, limit = 1000): Promise<Rejection[]> {
    return this.dataSource.getRepository(Rejection).find({ where: { batchId }, order: { id: 'ASC' }, take: limit });
  }

  /** Polls the batch until it is final, reporting progress; works the same for BullMQ and in-process jobs. */
  async waitFor(batchId: string, onProgress: (batch: ImportBatch) => void = () => undefined, pollMs = 200): Promise<ImportSummary> {
    for (;;) {
      const batch = await this.get(batchId);
      if (!batch) throw new ImportRequestError(`batch ${batchId} does not exist`);
      onProgress(batch);
      if (FINAL_BATCH_STATUSES.includes(batch.status)) return summarize(batch);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FINAL_BATCH_STATUSES, ImportBatch, rawRow, RecordWarning, Rejection, SourceHeader, SourceRecord } from '@qc/database';
import { JobName, JobQueue } from '@qc/jobs';
import { escapeLike } from '@qc/query';
import { maskFileName, sniffFormat, SourceError } from '@qc/readers';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { BatchAttempts } from './batch-attempts';
import { ImportSummary, summarize } from './import-summary';

export class ImportRequestError extends Error {}

/** A rejection with where it came from and the row as stored (personal data in it masked). */
export interface RejectionRow {
  id: string;
  sourceFile: string;
  sheet: string | null;
  recordRef: string | null;
  column: string | null;
  reason: string;
  reasonCode: string | null;
  reasonParams: object | null;
  /** Header → cell; null for a file-level refusal, which names no row. */
  raw: Record<string, string> | null;
}

/** A lineage link: which row of which file became (or referred to) which entity, and how it was found. */
export interface LinkRow {
  /** The source record's id (the page key). */
  id: string;
  sourceFile: string;
  recordRef: string;
  entityType: string;
  entityId: string;
  role: string;
  method: string;
  score: number | null;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface FileToImport { filePath: string; sha256: string; bytes: number }

async function fileToImport(path: string, displayName: string): Promise<FileToImport> {
  const filePath = resolve(path);
  const info = await stat(filePath).catch(() => null);
  if (!info?.isFile()) throw new ImportRequestError(`${displayName}: no such file`);
  if (!(await access(filePath, constants.R_OK).then(() => true, () => false))) {
    throw new ImportRequestError(`${displayName}: cannot be read (permission denied); give this user read access to it`);
  }
  return { filePath, sha256: await sha256Of(filePath), bytes: info.size };
}

/** Starts imports and reports on them; the work itself happens in the stage and merge jobs. */
@Injectable()
export class ImportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly attempts: BatchAttempts,
  ) {}

  /**
   * Records a batch for a file and queues it. A file identical to one already imported is not
   * read again: its batch is marked unchanged at once. The batch keeps the file's name masked
   * (maskFileName): a name can hold an ID number or a phone.
   */
  async submit(path: string, trigger: string, givenName = basename(path)): Promise<ImportBatch> {
    const displayName = maskFileName(givenName);
    const file = await fileToImport(path, displayName);
    // A file whose first bytes already refuse it (a format no reader takes) is answered now and
    // leaves no batch: only a file the stage starts to read gets one.
    await sniffFormat(file.filePath).catch((err: unknown) => {
      // Named as the batch would be named (an upload is stored under a name of its own).
      throw err instanceof SourceError ? new ImportRequestError(err.message.split(err.file).join(displayName)) : err;
    });
    return this.record(file, trigger, displayName);
  }

  /**
   * Submits a file that a process may have submitted before it died (an inbox pass dies with its
   * worker) unless that earlier batch is still to be waited for: the newest batch of the same file
   * (content and path) and trigger, while it is unfinished, or once it stopped the worker too often
   * (reading the file again would stop it again) if the file was not written since.
   */
  async submitOnce(path: string, trigger: string, givenName: string, writtenAt: Date): Promise<ImportBatch> {
    const displayName = maskFileName(givenName);
    const file = await fileToImport(path, displayName);
    const earlier = await this.dataSource.getRepository(ImportBatch).findOne({
      where: { fileSha256: file.sha256, filePath: file.filePath, trigger }, order: { createdAt: 'DESC' },
    });
    const leftBehind = earlier && (!FINAL_BATCH_STATUSES.includes(earlier.status) || (this.attempts.gaveUp(earlier) && earlier.finishedAt! >= writtenAt));
    return leftBehind ? earlier : this.record(file, trigger, displayName);
  }

  private async record({ filePath, sha256: fileSha256, bytes }: FileToImport, trigger: string, displayName: string): Promise<ImportBatch> {
    const batches = this.dataSource.getRepository(ImportBatch);
    const previous = await batches.findOneBy({ fileSha256, status: 'completed' });
    if (previous) {
      return batches.save(batches.create({
        fileName: displayName, filePath, fileSha256, fileBytes: String(bytes), trigger, status: 'unchanged',
        sourceKind: previous.sourceKind, sameAsBatchId: previous.id, rowsRead: previous.rowsRead,
        accepted: previous.accepted, rejected: previous.rejected, skipped: previous.skipped, sheets: previous.sheets,
        created: 0, updated: 0, matched: previous.accepted, finishedAt: new Date(),
      }));
    }
    const batch = await batches.save(batches.create({ fileName: displayName, filePath, fileSha256, fileBytes: String(bytes), trigger, status: 'queued' }));
    await this.queue.enqueue(JobName.ImportStage, { batchId: batch.id });
    return batch;
  }

  get(batchId: string): Promise<ImportBatch | null> {
    return this.dataSource.getRepository(ImportBatch).findOneBy({ id: batchId });
  }

  list(limit = 50): Promise<ImportBatch[]> {
    return this.dataSource.getRepository(ImportBatch).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  /** Newest first, keyset-paginated: `after` is the id of the last batch of the previous page. */
  listPage(limit: number, after?: string): Promise<ImportBatch[]> {
    const query = this.dataSource.getRepository(ImportBatch).createQueryBuilder('b')
      .orderBy('b.createdAt', 'DESC').addOrderBy('b.id', 'DESC').limit(limit);
    // Compared in the database: created_at has microseconds that a JavaScript Date would lose.
    if (after) query.where('(b.created_at, b.id) < (SELECT created_at, id FROM import_batch WHERE id = :after)', { after });
    return query.getMany();
  }

  /** Rejections in id order after the id `after`, of one batch or of all; with `q`, those whose sheet, column or reason contains it. */
  async rejectionsPage(limit: number, options: { batchId?: string; after?: string | null; q?: string } = {}): Promise<RejectionRow[]> {
    const query = this.dataSource.createQueryBuilder()
      .select(['r.id AS id', 'b.file_name AS "sourceFile"', 'r.sheet AS sheet', 'r.record_ref AS "recordRef"', 'r.column_name AS "column"', 'r.reason AS reason',
        'r.reason_code AS "reasonCode"', 'r.reason_params AS "reasonParams"',
        's.id AS "recordId"', 's.raw AS cells', 'h.headers AS headers'])
      .from(Rejection, 'r')
      .innerJoin(ImportBatch, 'b', 'b.id = r.batch_id')
      .leftJoin(SourceRecord, 's', 's.id = r.source_record_id')
      .leftJoin(SourceHeader, 'h', 'h.batch_id = s.batch_id AND h.no = s.header_no')
      .where('r.id > :after', { after: options.after ?? '0' })
      .orderBy('r.id', 'ASC')
      .limit(limit);
    if (options.batchId) query.andWhere('r.batch_id = :batchId', { batchId: options.batchId });
    if (options.q) {
      // The text as typed: % and _ are not wildcards here.
      const pattern = `%${escapeLike(options.q)}%`;
      query.andWhere('(r.sheet ILIKE :pattern OR r.column_name ILIKE :pattern OR r.reason ILIKE :pattern)', { pattern });
    }
    const rows = await query.getRawMany<Omit<RejectionRow, 'raw'> & { recordId: string | null; cells: (string | null)[] | null; headers: string[] | null }>();
    return rows.map(({ recordId, cells, headers, ...rest }) => ({ ...rest, raw: recordId === null ? null : rawRow(headers, cells) }));
  }

  /**
   * Lineage links, every (record, entity, role) of the `limit` linked source records after the record
   * `after`, in record order, with the file and row each came from.
   */
  linksPage(limit: number, after: string | null = null): Promise<LinkRow[]> {
    return this.dataSource.query(`
      SELECT l.source_record_id::text AS id, b.file_name AS "sourceFile", s.record_ref AS "recordRef", l.entity_type AS "entityType", l.entity_id AS "entityId",
             l.role, l.method, l.score
        FROM (SELECT source_record_id FROM record_link WHERE source_record_id > $1 ORDER BY source_record_id LIMIT $2) page
        JOIN record_link_entry l ON l.source_record_id = page.source_record_id
        JOIN source_record s ON s.id = l.source_record_id JOIN import_batch b ON b.id = s.batch_id
       ORDER BY l.source_record_id, l.role <> 'subject', l.role, l.entity_id`, [after ?? '0', limit]);
  }

  rejections(batchId: string, limit = 1000): Promise<Rejection[]> {
    return this.dataSource.getRepository(Rejection).find({ where: { batchId }, order: { id: 'ASC' }, take: limit });
  }

  /** The first warnings of a batch, in file order: cells flagged on rows it applied, IDs claimed under another name. */
  warnings(batchId: string, limit = 1000): Promise<RecordWarning[]> {
    return this.dataSource.getRepository(RecordWarning).find({ where: { batchId }, order: { id: 'ASC' }, take: limit });
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

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { ImportBatch, insertRows, Rejection, SourceRecord } from '@qc/database';
import { JobContext, JobName, JobQueue, OnJob, PermanentJobError } from '@qc/jobs';
import { classifyRow, describeLayout, detectLayout, fieldLabel, Layout, layoutProblem } from '@qc/layout';
import { LOGGER, Logger } from '@qc/logging';
import { maskIdNumber, maskPhone } from '@qc/pii';
import { CellValue, JsonReader, openSource, RawRow, ReaderLimits, SourceError } from '@qc/readers';
import { DataSource, EntityManager } from 'typeorm';
import { rowHash } from './row-hash';
import { SourceRegistry } from './source-registry';
import { appExportRows } from './sources/app-export-rows';
import { SheetContext, SourceDefinition } from './sources/source-definition';
import { WriteBehind } from './write-behind';

/** What a decoder puts where bytes are not valid in the file's encoding. */
const UNDECODABLE = '\uFFFD';

/** Rows looked at to find a sheet's header. */
const LAYOUT_WINDOW = 30;

/** What is known about a sheet once its header is found; built once, used for every row. */
interface SheetState {
  layout: Layout;
  definition: SourceDefinition<unknown>;
  context: SheetContext;
  /** Column → mask for the columns that hold ID numbers or phones. */
  masks: Map<number, (value: string) => string>;
}
interface Counts { rowsRead: number; accepted: number; rejected: number; skipped: number }

/** A file, sheet or column problem that refuses the whole file before anything is applied. */
class FileRefusal extends Error {}

/** Stage: read a file, recognise each sheet, and stage every row as accepted, rejected or skipped. */
@Injectable()
export class StageHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: SourceRegistry,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnJob(JobName.ImportStage)
  async stage({ batchId }: { batchId: string }, context: JobContext): Promise<void> {
    const found = await this.dataSource.getRepository(ImportBatch).findOneBy({ id: batchId });
    if (!found) throw new PermanentJobError(`batch ${batchId} does not exist`);
    if (!stillToStage(found)) return;
    // Every write of an attempt goes through one connection that holds the batch's lock: a second
    // attempt (a job queued again after Redis lost it) cannot interleave with a running one, and an
    // attempt whose connection was dropped can write nothing more.
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`qingcheng:stage:${batchId}`]);
      if (!locked) {
        this.logger.warn({ batch: batchId }, 'another attempt is staging this batch');
        return;
      }
      const batch = await runner.manager.findOneBy(ImportBatch, { id: batchId });
      if (batch && stillToStage(batch)) await this.stageLocked(batch, runner.manager, context);
    } finally {
      // Releasing the connection would keep the session lock on it in the pool: unlock first.
      await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await runner.release();
    }
  }

  private async stageLocked(batch: ImportBatch, manager: EntityManager, context: JobContext): Promise<void> {
    const batchId = batch.id;
    // A retried stage starts over: what an interrupted attempt staged is discarded.
    await manager.transaction(async (tx) => {
      await tx.delete(SourceRecord, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.update(ImportBatch, { id: batchId }, { status: 'staging', rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, progressDone: 0, error: null });
    });
    try {
      const { counts, layouts, sourceKind, format, columns } = await this.readAll(batch, manager, context);
      // The merge pages through this batch's rows by id; with statistics from before the batch the
      // planner expects a few hundred rows and sorts all of them for every page.
      await manager.query('ANALYZE source_record');
      await manager.update(ImportBatch, { id: batchId }, { ...counts, sourceKind, format, columns, layout: layouts, status: 'merging' });
      await this.queue.enqueue(JobName.ImportMerge, { batchId });
    } catch (err) {
      if (err instanceof SourceError || err instanceof FileRefusal) {
        await this.refuse(manager, batchId, err.message);
        return;
      }
      if (!context.willRetry) await this.fail(batchId, err as Error);
      throw err;
    }
  }

  private async readAll(batch: ImportBatch, manager: EntityManager, context: JobContext) {
    const writes = new WriteBehind();
    try {
      const read = await this.readRows(batch, manager, context, writes);
      await writes.drain();
      return read;
    } catch (err) {
      // The file is refused or the attempt failed: what is cleaned up next must not race a write still in flight.
      await writes.settle();
      throw err;
    }
  }

  private async readRows(batch: ImportBatch, manager: EntityManager, context: JobContext, writes: WriteBehind) {
    const counts: Counts = { rowsRead: 0, accepted: 0, rejected: 0, skipped: 0 };
    const layouts: Record<string, string> = {};
    const columns: Record<string, Record<string, string>> = {};
    const kinds = new Set<string>();
    const source = await openSource(batch.filePath, readerLimits(this.config));
    const format: SheetContext['format'] = source.kind;
    let sheetName: string | null | undefined;
    let window: RawRow[] = [];
    let state: SheetState | null = null;
    let pending: Partial<SourceRecord>[] = [];
    let pendingRejections: { index: number; rejection: Partial<Rejection> }[] = [];

    const flush = async () => {
      if (pending.length === 0) return;
      const records = pending;
      const rejected = pendingRejections;
      const done = counts.rowsRead;
      pending = [];
      pendingRejections = [];
      await writes.write(async () => {
        await manager.transaction(async (tx) => {
          const inserted = await insertRows(tx, SourceRecord, records);
          const rejections = rejected.map(({ index, rejection }) => ({ ...rejection, sourceRecordId: inserted.identifiers[index].id as string }));
          if (rejections.length > 0) await insertRows(tx, Rejection, rejections);
          await tx.update(ImportBatch, { id: batch.id }, { progressDone: done });
        });
        await context.progress(done);
      });
    };

    const stageRow = async (row: RawRow, sheet: SheetState) => {
      // Title and header rows are not records.
      if (row.line < sheet.layout.dataStartLine) return;
      const kind = classifyRow(row.cells, sheet.layout);
      counts.rowsRead++;
      const raw = this.rawCells(row.cells, sheet);
      const base = { batchId: batch.id, sheet: row.sheet, recordRef: row.ref, entityType: sheet.definition.layoutEntity, raw, rowHash: rowHash(row.cells) };
      const damaged = row.cells.findIndex((cell) => typeof cell === 'string' && cell.includes(UNDECODABLE));
      if (kind !== 'data') {
        counts.skipped++;
        pending.push({ ...base, status: 'skipped', skipReason: kind });
      } else if (damaged >= 0) {
        // A row in another encoding than the rest of the file (or with corrupt bytes) would be stored as mojibake.
        const column = sheet.layout.headers[damaged] || `column ${damaged + 1}`;
        await stageParsed(base, { ok: false, problems: [{ column, reason: `${column} holds bytes that cannot be decoded in the file's encoding (a row in another encoding?); re-save the file in one encoding` }] });
      } else {
        const byField: Record<string, CellValue> = {};
        for (const [field, column] of Object.entries(sheet.layout.columns)) byField[field] = row.cells[column] ?? null;
        await stageParsed(base, await sheet.definition.parse(byField, sheet.context));
      }
      if (pending.length >= this.config.importChunkRows) await flush();
    };

    const stageParsed = async (base: Partial<SourceRecord>, parsed: Awaited<ReturnType<SourceDefinition<unknown>['parse']>>) => {
      if (parsed.ok) {
        counts.accepted++;
        pending.push({ ...base, status: 'accepted', payload: parsed.record as Record<string, unknown> });
        return;
      }
      counts.rejected++;
      const index = pending.push({ ...base, status: 'rejected' }) - 1;
      for (const problem of parsed.problems) {
        pendingRejections.push({ index, rejection: { batchId: batch.id, sheet: base.sheet ?? null, recordRef: base.recordRef, columnName: problem.column, reason: problem.reason } });
      }
    };

    if (source instanceof JsonReader) {
      // The retired app's export: organizations (parents first), then their members; one record each.
      for await (const item of appExportRows(source, batch.fileName)) {
        const definition = this.sources.forEntity(item.entity)!;
        kinds.add(definition.sourceKind('json'));
        counts.rowsRead++;
        const base = { batchId: batch.id, sheet: null, recordRef: item.ref, entityType: item.entity, raw: item.raw, rowHash: rowHash([JSON.stringify(item.raw), item.context]) };
        await stageParsed(base, await definition.parse(item.cells, { fileName: batch.fileName, sheet: null, format, titles: [], headers: {} }));
        if (pending.length >= this.config.importChunkRows) await flush();
      }
      layouts[''] = `${batch.fileName}: retired app export (S5), organizations and their members`;
      await flush();
      return { counts, layouts, sourceKind: [...kinds].join('+') || null, format, columns };
    }


    const openSheet = async (rows: RawRow[]) => {
      const name = rows[0]?.sheet ?? null;
      const layout = detectLayout(name, rows);
      const problem = layoutProblem(layout);
      if (problem || !layout.entity) throw new FileRefusal(`${batch.fileName}, ${problem?.message ?? 'no recognisable header'}`);
      const where = `${batch.fileName}${name ? `, sheet ${name}` : ''}`;
      const definition = this.sources.forEntity(layout.entity);
      if (!definition) throw new FileRefusal(`${where}: sheets of ${layout.entity} cannot be imported yet`);
      // A required entry may list alternatives: 'community|gridCode'.
      const missing = definition.requiredFields.filter((f) => f.split('|').every((alt) => layout.columns[alt] === undefined));
      if (missing.length > 0) {
        const seen = layout.headers.filter(Boolean).join(', ');
        const named = missing.map((f) => f.split('|').map((alt) => `${fieldLabel(layout.entity, alt)} (${alt})`).join(' or '));
        throw new FileRefusal(`${where}: cannot find the required column ${named.join(', ')}; headers seen: ${seen}`);
      }
      layouts[name ?? ''] = describeLayout(layout);
      this.logger.info({ batch: batch.id }, layouts[name ?? '']);
      kinds.add(definition.sourceKind(format));
      const headers: Record<string, string> = {};
      for (const [field, column] of Object.entries(layout.columns)) headers[field] = layout.headers[column] ?? field;
      columns[name ?? ''] = headers;
      const context: SheetContext = { fileName: batch.fileName, sheet: name, format, titles: [...layout.titles, batch.fileName], headers };
      state = { layout, definition, context, masks: personalDataMasks(layout) };
      for (const row of rows) await stageRow(row, state);
    };

    for await (const row of source.rows()) {
      if (row.sheet !== sheetName) {
        if (window.length > 0) await openSheet(window);
        sheetName = row.sheet;
        window = [];
        state = null;
      }
      if (state) await stageRow(row, state);
      else {
        window.push(row);
        if (window.length >= LAYOUT_WINDOW) { await openSheet(window); window = []; }
      }
    }
    if (window.length > 0) await openSheet(window);
    if (counts.rowsRead === 0 && Object.keys(layouts).length === 0) throw new FileRefusal(`${batch.fileName}: the file holds no rows`);
    await flush();
    return { counts, layouts, sourceKind: [...kinds].join('+') || null, format, columns };
  }

  /** The row as header → value; ID numbers and phones are masked before they are stored. */
  private rawCells(cells: CellValue[], sheet: SheetState): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    cells.forEach((cell, column) => {
      if (cell === null || cell === '') return;
      const header = sheet.layout.headers[column] || `column ${column + 1}`;
      const mask = sheet.masks.get(column);
      raw[header] = mask ? mask(String(cell)) : cell instanceof Date ? cell.toISOString() : cell;
    });
    return raw;
  }

  private async refuse(manager: EntityManager, batchId: string, message: string): Promise<void> {
    await manager.transaction(async (tx) => {
      await tx.delete(SourceRecord, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.insert(Rejection, { batchId, reason: message });
      await tx.update(ImportBatch, { id: batchId }, { status: 'refused', error: message, rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, finishedAt: new Date() });
    });
  }

  private async fail(batchId: string, err: Error): Promise<void> {
    this.logger.error({ batch: batchId, err: err.message }, 'import failed');
    await this.dataSource.getRepository(ImportBatch).update({ id: batchId }, { status: 'failed', error: `import failed: ${err.message}`, finishedAt: new Date() });
  }
}

/** The reader limits an import applies, from the configuration. */
function readerLimits(config: AppConfig): Partial<ReaderLimits> {
  return {
    maxFileBytes: config.importMaxFileBytes,
    maxWholeWorkbookBytes: config.importMaxWholeWorkbookBytes,
    maxUncompressedBytes: config.importMaxUncompressedBytes,
    maxRows: config.importMaxRows,
    maxColumns: config.importMaxColumns,
    maxCellChars: config.importMaxCellChars,
    maxDepth: config.importMaxJsonDepth,
  };
}

function stillToStage(batch: ImportBatch): boolean {
  return batch.status === 'queued' || batch.status === 'staging';
}

/** The columns of a layout that hold personal data, with the mask each is stored under. */
function personalDataMasks(layout: Layout): Map<number, (value: string) => string> {
  const masks = new Map<number, (value: string) => string>();
  for (const [field, column] of Object.entries(layout.columns)) {
    if (/idNumber$/i.test(field)) masks.set(column, maskIdNumber);
    else if (/phone$/i.test(field)) masks.set(column, maskPhone);
  }
  return masks;
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { copyRows, ImportBatch, insertRows, RecordWarning, Rejection, reserveIds, SheetAccount, SourceHeader, SourceRecord, writeRows } from '@qc/database';
import { JobContext, JobName, JobQueue, OnJob, PermanentJobError } from '@qc/jobs';
import { classifyRow, describeLayout, detectLayout, entityDef, fieldLabel, Layout, sheetVerdict } from '@qc/layout';
import { LOGGER, Logger, scrubPersonalData } from '@qc/logging';
import { maskIdNumber, maskPhone } from '@qc/pii';
import { CellValue, isProgrammingError, JsonReader, openSource, placeOf, RawRow, ReadFault, ReaderLimits, SourceError } from '@qc/readers';
import { DataSource, EntityManager } from 'typeorm';
import { because, Reason, reasonText, toStored } from '@qc/reasons';
import { BatchAttempts } from './batch-attempts';
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
  /** The batch's number for the sheet's header (source_header.no). */
  headerNo: number;
}
interface Counts { rowsRead: number; accepted: number; rejected: number; skipped: number; warnings: number }

/** A file, sheet or column problem that refuses the whole file before anything is applied. */
/** A file refused as a whole, and why. */
class FileRefusal extends Error {
  constructor(readonly reason: Reason) {
    super(reasonText(reason));
  }
}

/** Stage: read a file, recognise each sheet, and stage every row as accepted, rejected or skipped. */
@Injectable()
export class StageHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sources: SourceRegistry,
    private readonly queue: JobQueue,
    private readonly config: AppConfig,
    private readonly attempts: BatchAttempts,
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
      if (batch && stillToStage(batch) && (await this.attempts.begin(runner.manager, batchId, 'stage'))) {
        await this.stageLocked(batch, runner.manager, context);
      }
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
      await tx.delete(SourceHeader, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.delete(RecordWarning, { batchId });
      await tx.update(ImportBatch, { id: batchId }, {
        status: 'staging', rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0, error: null,
        progressPhase: 'reading', progressDone: 0, progressTotal: Number(batch.fileBytes), progressPhaseStartedAt: () => 'clock_timestamp()',
      });
    });
    try {
      const { counts, layouts, sourceKind, format, columns, sheets } = await this.readAll(batch, manager, context);
      // The merge pages through this batch's rows by id; with statistics from before the batch the
      // planner expects a few hundred rows and sorts all of them for every page.
      await manager.query('ANALYZE source_record');
      // Matching begins with the hand-over: its records are counted from here.
      await manager.update(ImportBatch, { id: batchId }, {
        ...counts, sourceKind, format, columns, layout: layouts, sheets, status: 'merging', attempts: 0,
        progressPhase: 'matching', progressDone: 0, progressTotal: counts.accepted, progressPhaseStartedAt: () => 'clock_timestamp()',
      });
      await this.queue.enqueue(JobName.ImportMerge, { batchId });
    } catch (err) {
      if (err instanceof SourceError && err.code === 'memory') {
        // A valid file this worker cannot hold: a failure of ours to say plainly, not a bad file; retrying cannot help.
        await this.fail(batchId, err.message);
        return;
      }
      if (err instanceof SourceError || err instanceof FileRefusal) {
        await this.refuse(manager, batchId, err instanceof FileRefusal ? err.reason : because('file-unreadable', { message: err.message }));
        return;
      }
      if (err instanceof ReadFault) {
        this.logger.error({ batch: batchId, place: err.place, err: scrubPersonalData(err.origin.stack ?? String(err.origin)) }, 'internal error reading a file');
      }
      if (!context.willRetry) await this.fail(batchId, err instanceof ReadFault ? err.message : `import failed: ${(err as Error).message}`);
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
    const counts: Counts = { rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0 };
    const layouts: Record<string, string> = {};
    const columns: Record<string, Record<string, string>> = {};
    const sheets: SheetAccount[] = [];
    const kinds = new Set<string>();
    const source = await openSource(batch.filePath, readerLimits(this.config));
    const format: SheetContext['format'] = source.kind;
    let sheetName: string | null | undefined;
    let window: RawRow[] = [];
    let state: SheetState | null = null;
    /** The account of the sheet being read, once decided: a skipped or refused sheet's further rows are only counted there. */
    let current: SheetAccount | null = null;
    let pending: Partial<SourceRecord>[] = [];
    let pendingRejections: { index: number; rejection: Partial<Rejection> }[] = [];
    let pendingWarnings: { index: number; warning: Partial<RecordWarning> }[] = [];
    // Each distinct header is stored once, with the first chunk of rows that points to it.
    const headerNumbers = new Map<string, number>();
    let pendingHeaders: SourceHeader[] = [];
    const headerNo = (headers: string[]): number => {
      const key = JSON.stringify(headers);
      let no = headerNumbers.get(key);
      if (no === undefined) {
        no = headerNumbers.size;
        headerNumbers.set(key, no);
        pendingHeaders.push({ batchId: batch.id, no, headers });
      }
      return no;
    };

    const flush = async () => {
      if (pending.length === 0) return;
      const records = pending;
      const rejected = pendingRejections;
      const warned = pendingWarnings;
      const headers = pendingHeaders;
      // How far reading is: bytes of the file, which are known of its size from the start (rows are not).
      const done = source.bytesRead();
      pending = [];
      pendingRejections = [];
      pendingWarnings = [];
      pendingHeaders = [];
      await writes.write(async () => {
        await manager.transaction(async (tx) => {
          if (headers.length > 0) await insertRows(tx, SourceHeader, headers);
          // Ids reserved up front let the rows go by COPY and their rejections and warnings point to them.
          const ids = await reserveIds(tx, SourceRecord, records.length);
          records.forEach((record, i) => { record.id = ids[i]; });
          await copyRows(tx, SourceRecord, records);
          await writeRows(tx, Rejection, rejected.map(({ index, rejection }) => ({ ...rejection, sourceRecordId: ids[index] })));
          await writeRows(tx, RecordWarning, warned.map(({ index, warning }) => ({ ...warning, sourceRecordId: ids[index] })));
          await tx.update(ImportBatch, { id: batch.id }, { progressDone: done });
        });
        await context.progress(done, Number(batch.fileBytes));
      });
    };

    const stageRow = async (row: RawRow, sheet: SheetState) => {
      // Title and header rows are not records.
      if (row.line < sheet.layout.dataStartLine) return;
      const kind = classifyRow(row.cells, sheet.layout);
      counts.rowsRead++;
      const raw = this.rawCells(row.cells, sheet);
      const base = { batchId: batch.id, sheet: row.sheet, recordRef: row.ref, entityType: sheet.definition.layoutEntity, raw, headerNo: sheet.headerNo, rowHash: rowHash(row.cells) };
      const damaged = row.cells.findIndex((cell) => typeof cell === 'string' && cell.includes(UNDECODABLE));
      if (kind !== 'data') {
        counts.skipped++;
        pending.push({ ...base, status: 'skipped', skipReason: kind });
      } else if (damaged >= 0) {
        // A row in another encoding than the rest of the file (or with corrupt bytes) would be stored as mojibake.
        const column = sheet.layout.headers[damaged] || `column ${damaged + 1}`;
        await stageParsed(base, { ok: false, problems: [{ column, reason: because('undecodable-bytes', { column }) }] });
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
        const index = pending.push({ ...base, status: 'accepted', payload: parsed.record as Record<string, unknown> }) - 1;
        for (const problem of parsed.warnings ?? []) {
          counts.warnings++;
          pendingWarnings.push({ index, warning: { batchId: batch.id, sheet: base.sheet ?? null, recordRef: base.recordRef, columnName: problem.column, ...toStored(problem.reason) } });
        }
        return;
      }
      counts.rejected++;
      const index = pending.push({ ...base, status: 'rejected' }) - 1;
      for (const problem of parsed.problems) {
        pendingRejections.push({ index, rejection: { batchId: batch.id, sheet: base.sheet ?? null, recordRef: base.recordRef, columnName: problem.column, ...toStored(problem.reason) } });
      }
    };

    if (source instanceof JsonReader) {
      // The retired app's export: organizations (parents first), then their members; one record each.
      for await (const item of appExportRows(source, batch.fileName)) {
        const definition = this.sources.forEntity(item.entity)!;
        kinds.add(definition.sourceKind('json'));
        counts.rowsRead++;
        const base = {
          batchId: batch.id, sheet: null, recordRef: item.ref, entityType: item.entity, headerNo: headerNo(Object.keys(item.raw)),
          raw: trimEmpty(Object.values(item.raw).map(cellText)), rowHash: rowHash([JSON.stringify(item.raw), item.context]),
        };
        await stageParsed(base, await definition.parse(item.cells, { fileName: batch.fileName, sheet: null, format, titles: [], headers: {} }));
        if (pending.length >= this.config.importChunkRows) await flush();
      }
      layouts[''] = `${batch.fileName}: retired app export (S5), organizations and their members`;
      await flush();
      return { counts, layouts, sourceKind: [...kinds].join('+') || null, format, columns, sheets: null };
    }


    /** Decides a sheet from its first rows, stages them if it is imported, and returns its account. */
    const openSheet = async (rows: RawRow[]): Promise<SheetAccount> => {
      const name = rows[0]?.sheet ?? null;
      const layout = detectLayout(name, rows);
      const below = rows.filter((r) => r.line >= layout.dataStartLine).length;
      const verdict = sheetVerdict(layout, this.config.importKindMargin);
      if (verdict.action !== 'import') {
        return account(passOver(layout, verdict.action === 'skip' ? 'skipped' : 'refused', verdict.reason, verdict.action === 'skip' ? rows.length : below));
      }
      const where = `${batch.fileName}${name ? `, sheet ${name}` : ''}`;
      const entity = layout.entity!;
      const definition = this.sources.forEntity(entity);
      // A required entry may list alternatives: 'community|gridCode'.
      const missing = definition?.requiredFields.filter((f) => f.split('|').every((alt) => layout.columns[alt] === undefined)) ?? [];
      if (!definition || missing.length > 0) {
        const named = missing.map((f) => f.split('|').map((alt) => `${fieldLabel(entity, alt)} (${alt})`).join(' or '));
        const label = entityDef(entity).label;
        const reason = definition
          ? because('source-column-missing', { where, missing: named, label, headers: layout.headers.filter(Boolean) })
          : because('kind-not-importable', { where, kind: entity, label });
        return account(passOver(layout, 'refused', reason, below));
      }
      layouts[name ?? ''] = describeLayout(layout);
      this.logger.info({ batch: batch.id }, layouts[name ?? '']);
      kinds.add(definition.sourceKind(format));
      const headers: Record<string, string> = {};
      for (const [field, column] of Object.entries(layout.columns)) headers[field] = layout.headers[column] ?? field;
      columns[name ?? ''] = headers;
      const imported = account(importedSheet(layout, below));
      const context: SheetContext = { fileName: batch.fileName, sheet: name, format, titles: [...layout.titles, batch.fileName], headers };
      const named = layout.headers.map((header, column) => header || `column ${column + 1}`);
      state = { layout, definition, context, masks: personalDataMasks(layout), headerNo: headerNo(named) };
      for (const row of rows) await stageRow(row, state);
      return imported;
    };
    const account = (sheet: SheetAccount) => {
      sheets.push(sheet);
      return sheet;
    };

    const listed = await source.sheets();
    const hidden = new Set(listed.filter((s) => s.state !== 'visible').map((s) => s.name));
    let lastRow: RawRow | undefined;
    try {
      for await (const row of source.rows()) {
        lastRow = row;
        if (row.sheet !== sheetName) {
          if (window.length > 0) await openSheet(window);
          sheetName = row.sheet;
          window = [];
          state = null;
          current = hidden.has(row.sheet) ? account(noRecords(row.sheet, because('sheet-hidden', { sheet: row.sheet }))) : null;
        }
        if (current) {
          current.rows++;
          if (state) await stageRow(row, state);
        } else {
          window.push(row);
          if (window.length >= LAYOUT_WINDOW) { current = await openSheet(window); window = []; }
        }
      }
      if (window.length > 0) await openSheet(window);
    } catch (err) {
      // A bug in the stage's own handling of a row is ours too (the reader reports its own faults).
      throw isProgrammingError(err) ? new ReadFault(batch.fileName, placeOf(lastRow?.sheet, lastRow?.line), err) : err;
    }
    for (const empty of listed.filter((l) => l.name !== null && !sheets.some((s) => s.sheet === l.name))) sheets.push(noRecords(empty.name, because('sheet-empty', { sheet: empty.name })));
    const position = new Map(listed.map((l) => [l.name, l.index]));
    sheets.sort((a, b) => (position.get(a.sheet) ?? listed.length) - (position.get(b.sheet) ?? listed.length));
    if (!sheets.some((s) => s.status === 'imported')) throw new FileRefusal(nothingToImport(batch.fileName, sheets));
    await flush();
    return { counts, layouts, sourceKind: [...kinds].join('+') || null, format, columns, sheets };
  }

  /** The row's cells as text in column order (its header is stored once); ID numbers and phones are masked before they are stored. */
  private rawCells(cells: CellValue[], sheet: SheetState): (string | null)[] {
    return trimEmpty(cells.map((cell, column) => {
      const text = cellText(cell);
      const mask = sheet.masks.get(column);
      return text !== null && mask ? mask(text) : text;
    }));
  }

  private async refuse(manager: EntityManager, batchId: string, reason: Reason): Promise<void> {
    const message = reasonText(reason);
    await manager.transaction(async (tx) => {
      await tx.delete(SourceRecord, { batchId });
      await tx.delete(SourceHeader, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.delete(RecordWarning, { batchId });
      await tx.insert(Rejection, { batchId, ...toStored(reason) });
      await tx.update(ImportBatch, { id: batchId }, { status: 'refused', error: message, rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0, finishedAt: new Date() });
    });
  }

  private async fail(batchId: string, reason: string): Promise<void> {
    this.logger.error({ batch: batchId, err: reason }, 'import failed');
    await this.dataSource.getRepository(ImportBatch).update({ id: batchId }, { status: 'failed', error: reason, finishedAt: new Date() });
  }
}

/** The account of a sheet whose rows are read: its kind, the columns used and those ignored, with why. */
function importedSheet(layout: Layout, rows: number): SheetAccount {
  const entity = layout.entity!;
  return {
    sheet: layout.sheet, status: 'imported', kind: entity, label: entityDef(entity).label, score: layout.score, reason: null, rows,
    used: Object.entries(layout.columns).map(([field, column]) => ({
      header: layout.headers[column] || `column ${column + 1}`, field, label: fieldLabel(entity, field), evidence: layout.evidence[field] ?? 'header',
    })),
    ignored: layout.ignored.map((i) => ({ header: i.header || `column ${i.column + 1}`, ...toStored(i.reason) })),
    warnings: layout.warnings.map(reasonText),
    warningReasons: layout.warnings.map(toStored),
  };
}

/** The account of a sheet skipped (it holds no records) or refused (it cannot be read safely). */
function passOver(layout: Layout, status: 'skipped' | 'refused', reason: Reason, rows: number): SheetAccount {
  return {
    sheet: layout.sheet, status, kind: layout.entity, label: layout.entity ? entityDef(layout.entity).label : null, score: layout.entity ? layout.score : null,
    ...toStored(reason), rows, used: [], ignored: [], warnings: [],
  };
}

/** The account of a sheet skipped before its content is looked at (hidden, or without rows). */
function noRecords(sheet: string | null, reason: Reason): SheetAccount {
  return { sheet, status: 'skipped', kind: null, label: null, score: null, ...toStored(reason), rows: 0, used: [], ignored: [], warnings: [] };
}

/** Why a file none of whose sheets could be imported is refused: each sheet's reason (a CSV's one reason, as it is). */
function nothingToImport(fileName: string, sheets: SheetAccount[]): Reason {
  if (sheets.length === 0) return because('file-without-rows', { file: fileName });
  // Every sheet passed over was given its reason's code here.
  const reasons = sheets.map((s) => ({ code: s.reasonCode!, params: s.reasonParams! }));
  if (sheets.length === 1) return because('file-sheet-refused', { file: fileName, sheet: reasons[0] });
  return because('file-without-records', { file: fileName, sheets: reasons });
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
    maxSharedStrings: config.importMaxSharedStrings,
    maxSharedStringChars: config.importMaxSharedStringChars,
  };
}

/** A raw cell as stored: text, or null when empty (a date as ISO 8601, a nested JSON value as JSON). */
function cellText(cell: unknown): string | null {
  if (cell === null || cell === undefined || cell === '') return null;
  if (cell instanceof Date) return cell.toISOString();
  return typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
}

/** Cells without their trailing empty ones, which rawRow reads the same and cost space on every row. */
function trimEmpty(cells: (string | null)[]): (string | null)[] {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === null) end--;
  return end === cells.length ? cells : cells.slice(0, end);
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

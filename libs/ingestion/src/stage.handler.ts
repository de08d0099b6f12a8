import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { copyRows, ImportBatch, insertRows, RecordWarning, Rejection, reserveIds, SheetAccount, SourceHeader, SourceRecord, StageRange, StageRangeCounts, writeRows } from '@qc/database';
import { JobContext, JobName, JobQueue, OnJob, PermanentJobError } from '@qc/jobs';
import { classifyRow, describeLayout, detectLayout, entityDef, fieldLabel, Layout, sheetVerdict } from '@qc/layout';
import { LOGGER, Logger, scrubPersonalData } from '@qc/logging';
import { maskIdNumber, maskPhone } from '@qc/pii';
import { byteScannable, CellValue, CsvReader, CsvStats, isProgrammingError, JsonReader, openSource, placeOf, RawRow, ReadFault, ReaderLimits, SourceError, splitCsvRanges } from '@qc/readers';
import { DataSource, EntityManager } from 'typeorm';
import { because, Reason, reasonText, toStored } from '@qc/reasons';
import { BatchAttempts } from './batch-attempts';
import { rowHash } from './row-hash';
import { SourceRegistry } from './source-registry';
import { idBounds, IdSupply, reserveIdRuns } from './stage-range-ids';
import { requeueOpenRanges } from './stage-range-jobs';
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

/** A sheet recognised from its first rows: its account, and for a sheet to import, what reading its rows needs. */
interface Recognised {
  account: SheetAccount;
  imported?: {
    layout: Layout;
    definition: SourceDefinition<unknown>;
    context: SheetContext;
    /** The header's column names (`column N` where the file wrote none). */
    headers: string[];
    /** The layout as printed to the user, the header of each field, and the source kind. */
    described: string;
    columns: Record<string, string>;
    sourceKind: string;
  };
}

/** One range of a file cut into ranges, as its job reads it. */
interface RangeRead {
  reader: CsvReader;
  sheet: NonNullable<Recognised['imported']>;
  account: SheetAccount;
  ids: IdSupply;
  run: number;
  no: number;
}

/** A file, sheet or column problem that refuses the whole file before anything is applied. */
/** A file refused as a whole, and why. */
class FileRefusal extends Error {
  constructor(readonly reason: Reason) {
    super(reasonText(reason));
  }
}

/** The stage was started over, or the batch refused or failed, while a range was staged: the range stops, writing nothing more. */
class StageSuperseded extends Error {}

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
      if (!batch || !stillToStage(batch)) return;
      if (batch.stageRangesLeft !== null) {
        // Cut into ranges by an earlier job (this one delivered again, or queued by the recovery sweep
        // to hand over): not a new attempt at the file, so not counted.
        await this.resumeRanges(batch);
      } else if (await this.attempts.begin(runner.manager, batchId, 'stage')) {
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
    // A retried stage starts over: what an interrupted attempt staged is discarded (ranges of an
    // earlier run still writing included: see endRun).
    const run = await manager.transaction(async (tx) => {
      await endRun(tx, batchId);
      await tx.update(ImportBatch, { id: batchId }, {
        status: 'staging', rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0, error: null, stageRun: () => 'stage_run + 1', stageRangesLeft: null,
        progressPhase: 'reading', progressDone: 0, progressTotal: Number(batch.fileBytes), progressPhaseStartedAt: () => 'clock_timestamp()',
      });
      await tx.delete(StageRange, { batchId });
      await tx.delete(SourceRecord, { batchId });
      await tx.delete(SourceHeader, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.delete(RecordWarning, { batchId });
      return (await tx.findOneByOrFail(ImportBatch, { id: batchId })).stageRun;
    });
    try {
      if (await this.stageInRanges(batch, manager, run)) return;
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

  /**
   * A CSV file above stageRangeBytes whose sheet can be imported is cut into ranges at row boundaries
   * and one job per range is queued; returns false for a file read whole (smaller, another format,
   * or one the whole-file reading refuses or judges sheet by sheet).
   */
  private async stageInRanges(batch: ImportBatch, manager: EntityManager, run: number): Promise<boolean> {
    if (Number(batch.fileBytes) <= this.config.stageRangeBytes) return false;
    const source = await openSource(batch.filePath, readerLimits(this.config));
    if (!(source instanceof CsvReader)) return false;
    const probe = await source.probe();
    if (!byteScannable(probe.encoding, probe.delimiter)) return false;
    const { account, imported } = this.recognise(await readHead(source), batch, 'csv');
    if (!imported) return false;
    const ranges = await splitCsvRanges(batch.filePath, { delimiter: probe.delimiter, startOffset: probe.bom ? 3 : 0, targetBytes: this.config.stageRangeBytes });
    // A file over the row limit is refused by the whole-file reading, at the line where it passes it.
    if (ranges.length < 2 || ranges.reduce((n, r) => n + r.rows, 0) > this.config.importMaxRows) return false;
    await manager.transaction(async (tx) => {
      await this.holdRun(tx, batch.id, run);
      await insertRows(tx, SourceHeader, [{ batchId: batch.id, no: 0, headers: imported.headers }]);
      const planned: Partial<StageRange>[] = [];
      // Reserved range after range, so the ids follow the file.
      for (const [no, range] of ranges.entries()) {
        planned.push({ batchId: batch.id, no, run, byteStart: String(range.start), byteEnd: String(range.end), firstLine: range.firstLine, ids: await reserveIdRuns(tx, range.rows) });
      }
      await insertRows(tx, StageRange, planned);
      await tx.update(ImportBatch, { id: batch.id }, {
        stageRangesLeft: ranges.length, sourceKind: imported.sourceKind, format: 'csv', columns: { '': imported.columns }, layout: { '': imported.described }, sheets: [account],
      });
    });
    this.logger.info({ batch: batch.id }, imported.described);
    this.logger.info({ batch: batch.id, ranges: ranges.length }, 'the file is staged in ranges');
    for (const no of ranges.keys()) await this.queue.enqueue(JobName.ImportStageRange, { batchId: batch.id, run, range: no });
    return true;
  }

  /** Stages one range of a file cut into ranges; the last range to finish hands the batch over to the merge. */
  @OnJob(JobName.ImportStageRange)
  async stageRange({ batchId, run, range: no }: { batchId: string; run: number; range: number }, context: JobContext): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // As for the stage: one attempt at a time per range, and an attempt whose connection dropped writes nothing more.
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`qingcheng:stage:${batchId}:${no}`]);
      if (!locked) return;
      const manager = runner.manager;
      const batch = await manager.findOneBy(ImportBatch, { id: batchId });
      const range = await manager.findOneBy(StageRange, { batchId, no, run });
      if (!batch || batch.status !== 'staging' || batch.stageRun !== run || !range || range.counts) return;
      const [[{ attempts }]] = (await manager.query(
        'UPDATE stage_range SET attempts = attempts + 1, bytes_read = 0 WHERE batch_id = $1 AND no = $2 RETURNING attempts',
        [batchId, no],
      )) as [{ attempts: number }[], number];
      if (attempts > this.config.importMaxAttempts) {
        await this.attempts.giveUp({ id: batchId, fileName: batch.fileName, attempts: attempts - 1 }, 'stage');
        return;
      }
      // A retried range starts clean: what an earlier attempt of it staged goes (rejections and warnings with their rows).
      const bounds = idBounds(range.ids);
      if (bounds) await manager.query('DELETE FROM source_record WHERE batch_id = $1 AND id BETWEEN $2 AND $3', [batchId, ...bounds]);
      try {
        const whole = new CsvReader(batch.filePath, readerLimits(this.config));
        const probe = await whole.probe();
        const { account, imported } = this.recognise(await readHead(whole), batch, 'csv');
        // The file has not changed since it was cut (the batch's copy), so its first rows decide as they did then.
        if (!imported) throw new Error(`${batch.fileName}: the sheet is no longer recognised as it was when the file was cut into ranges`);
        const reader = new CsvReader(batch.filePath, readerLimits(this.config), {
          encoding: probe.encoding, delimiter: probe.delimiter, range: { start: Number(range.byteStart), end: Number(range.byteEnd), firstLine: range.firstLine },
        });
        const { counts } = await this.readAll(batch, manager, context, { reader, sheet: imported, account, ids: new IdSupply(range.ids), run, no });
        await this.completeRange(batch, no, run, { ...counts, ...decodingCounts(reader.stats) }, manager);
      } catch (err) {
        if (err instanceof StageSuperseded) return;
        if (err instanceof SourceError && err.code === 'memory') {
          await this.fail(batchId, err.message, run);
          return;
        }
        if (err instanceof SourceError || err instanceof FileRefusal) {
          await this.refuse(manager, batchId, err instanceof FileRefusal ? err.reason : because('file-unreadable', { message: err.message }), run);
          return;
        }
        if (err instanceof ReadFault) {
          this.logger.error({ batch: batchId, place: err.place, err: scrubPersonalData(err.origin.stack ?? String(err.origin)) }, 'internal error reading a file');
        }
        if (!context.willRetry) await this.fail(batchId, err instanceof ReadFault ? err.message : `import failed: ${(err as Error).message}`, run);
        throw err;
      }
    } finally {
      await runner.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Records what a range came to and counts it off, once; the range that leaves none hands over.
   * The batch row is locked first, so of two ranges finishing together one sees the other's count.
   */
  private async completeRange(batch: ImportBatch, no: number, run: number, counts: StageRangeCounts, manager: EntityManager): Promise<void> {
    const left = await manager.transaction(async (tx) => {
      // FOR UPDATE: of two ranges finishing together, the second sees the first's count.
      const [current] = (await tx.query(
        `SELECT stage_ranges_left AS "left" FROM import_batch WHERE id = $1 AND stage_run = $2 AND status = 'staging' FOR UPDATE`,
        [batch.id, run],
      )) as { left: number }[];
      if (!current) throw new StageSuperseded();
      const [, marked] = (await tx.query(
        'UPDATE stage_range SET counts = $3, bytes_read = byte_end - byte_start, finished_at = clock_timestamp() WHERE batch_id = $1 AND no = $2 AND counts IS NULL',
        [batch.id, no, JSON.stringify(counts)],
      )) as [unknown, number];
      if (marked === 0) throw new StageSuperseded();
      await tx.query(
        'UPDATE import_batch SET stage_ranges_left = stage_ranges_left - 1, progress_done = (SELECT sum(bytes_read) FROM stage_range WHERE batch_id = $1) WHERE id = $1',
        [batch.id],
      );
      return current.left - 1;
    });
    if (left === 0) await this.handOver(batch.id, run, manager);
  }

  /**
   * Every range staged: the ranges' counts added up, the whole file's encoding judged as a single
   * reader judges it, and the batch handed to the merge, as the stage of a file read whole does.
   */
  private async handOver(batchId: string, run: number, manager: EntityManager): Promise<void> {
    const batch = await manager.findOneBy(ImportBatch, { id: batchId });
    if (!batch || batch.status !== 'staging' || batch.stageRun !== run || batch.stageRangesLeft !== 0) return;
    const ranges = await manager.find(StageRange, { where: { batchId, run }, order: { no: 'ASC' } });
    const counts: Counts = { rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0 };
    const decoding: CsvStats = { records: 0, damagedRecords: 0, replacementChars: 0, firstDamagedLine: null, damagedLines: [] };
    for (const range of ranges) {
      if (!range.counts) return;
      for (const key of Object.keys(counts) as (keyof Counts)[]) counts[key] += range.counts[key];
      decoding.records += range.counts.records;
      decoding.damagedRecords += range.counts.damagedRecords;
      // Ranges in file order: the first range with a damaged record has the file's first.
      decoding.firstDamagedLine ??= range.counts.firstDamagedLine;
    }
    const reader = new CsvReader(batch.filePath, readerLimits(this.config));
    try {
      reader.judgeDecoding(await reader.probe(), decoding);
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      await this.refuse(manager, batchId, because('file-unreadable', { message: err.message }), run);
      return;
    }
    await manager.query('ANALYZE source_record');
    const { affected } = await manager.update(ImportBatch, { id: batchId, stageRun: run, status: 'staging' }, {
      ...counts, sheets: (batch.sheets ?? []).map((sheet) => (sheet.status === 'imported' ? { ...sheet, rows: counts.rowsRead } : sheet)),
      status: 'merging', attempts: 0, stageRangesLeft: null,
      progressPhase: 'matching', progressDone: 0, progressTotal: counts.accepted, progressPhaseStartedAt: () => 'clock_timestamp()',
    });
    if (affected) await this.queue.enqueue(JobName.ImportMerge, { batchId });
  }

  /** A stage job run again after it cut the file (delivered twice, say): the ranges without a job queued again, or the hand-over done. */
  private async resumeRanges(batch: ImportBatch): Promise<void> {
    if (batch.stageRangesLeft === 0) {
      await this.handOver(batch.id, batch.stageRun, this.dataSource.manager);
      return;
    }
    await requeueOpenRanges(this.dataSource, this.queue, batch);
  }

  /**
   * Holds the batch row until the transaction ends, if the stage run is still current, in the
   * weakest mode: the ranges' chunks and progress updates do not wait for one another, but
   * whatever ends the run (endRun) waits for the chunks in flight.
   */
  private async holdRun(tx: EntityManager, batchId: string, run: number): Promise<void> {
    const held = await tx.query(`SELECT 1 FROM import_batch WHERE id = $1 AND stage_run = $2 AND status = 'staging' FOR KEY SHARE`, [batchId, run]);
    if (held.length === 0) throw new StageSuperseded();
  }

  /** Recognises a sheet from its first rows: imported (with what reading it needs), or skipped or refused, with why. */
  private recognise(rows: RawRow[], batch: ImportBatch, format: SheetContext['format']): Recognised {
    const name = rows[0]?.sheet ?? null;
    const layout = detectLayout(name, rows);
    const below = rows.filter((r) => r.line >= layout.dataStartLine).length;
    const verdict = sheetVerdict(layout, this.config.importKindMargin);
    if (verdict.action !== 'import') {
      return { account: passOver(layout, verdict.action === 'skip' ? 'skipped' : 'refused', verdict.reason, verdict.action === 'skip' ? rows.length : below) };
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
      return { account: passOver(layout, 'refused', reason, below) };
    }
    const columns: Record<string, string> = {};
    for (const [field, column] of Object.entries(layout.columns)) columns[field] = layout.headers[column] ?? field;
    return {
      account: importedSheet(layout, below),
      imported: {
        layout, definition, columns, described: describeLayout(layout), sourceKind: definition.sourceKind(format),
        context: { fileName: batch.fileName, sheet: name, format, titles: [...layout.titles, batch.fileName], headers: columns },
        headers: layout.headers.map((header, column) => header || `column ${column + 1}`),
      },
    };
  }

  private async readAll(batch: ImportBatch, manager: EntityManager, context: JobContext, range?: RangeRead) {
    const writes = new WriteBehind();
    try {
      const read = await this.readRows(batch, manager, context, writes, range);
      await writes.drain();
      return read;
    } catch (err) {
      // The file is refused or the attempt failed: what is cleaned up next must not race a write still in flight.
      await writes.settle();
      throw err;
    }
  }

  private async readRows(batch: ImportBatch, manager: EntityManager, context: JobContext, writes: WriteBehind, range?: RangeRead) {
    const counts: Counts = { rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0 };
    const layouts: Record<string, string> = {};
    const columns: Record<string, Record<string, string>> = {};
    const sheets: SheetAccount[] = [];
    const kinds = new Set<string>();
    const source = range?.reader ?? (await openSource(batch.filePath, readerLimits(this.config)));
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
    // A range's header was stored when the file was cut.
    if (range) headerNumbers.set(JSON.stringify(range.sheet.headers), 0);
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
      const done = range ? source.bytesRead() - range.reader.range!.start : source.bytesRead();
      pending = [];
      pendingRejections = [];
      pendingWarnings = [];
      pendingHeaders = [];
      await writes.write(async () => {
        await manager.transaction(async (tx) => {
          if (range) await this.holdRun(tx, batch.id, range.run);
          if (headers.length > 0) await insertRows(tx, SourceHeader, headers);
          // Ids reserved up front let the rows go by COPY and their rejections and warnings point to them.
          const ids = range ? range.ids.take(records.length) : await reserveIds(tx, SourceRecord, records.length);
          records.forEach((record, i) => { record.id = ids[i]; });
          await copyRows(tx, SourceRecord, records);
          await writeRows(tx, Rejection, rejected.map(({ index, rejection }) => ({ ...rejection, sourceRecordId: ids[index] })));
          await writeRows(tx, RecordWarning, warned.map(({ index, warning }) => ({ ...warning, sourceRecordId: ids[index] })));
          if (range) await tx.update(StageRange, { batchId: batch.id, no: range.no }, { bytesRead: String(done) });
          else await tx.update(ImportBatch, { id: batch.id }, { progressDone: done });
        });
        if (range) {
          // The batch's progress is its ranges' bytes added up; written apart, as the ranges' chunks share the batch row.
          await manager.query(
            'UPDATE import_batch SET progress_done = (SELECT sum(bytes_read) FROM stage_range WHERE batch_id = $1) WHERE id = $1 AND stage_run = $2',
            [batch.id, range.run],
          );
        }
        await context.progress(done, range ? range.reader.range!.end - range.reader.range!.start : Number(batch.fileBytes));
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
      const { account: decided, imported } = this.recognise(rows, batch, format);
      if (!imported) return account(decided);
      const name = rows[0]?.sheet ?? null;
      layouts[name ?? ''] = imported.described;
      this.logger.info({ batch: batch.id }, imported.described);
      kinds.add(imported.sourceKind);
      columns[name ?? ''] = imported.columns;
      account(decided);
      state = sheetState(imported, headerNo(imported.headers));
      for (const row of rows) await stageRow(row, state);
      return decided;
    };
    const account = (sheet: SheetAccount) => {
      sheets.push(sheet);
      return sheet;
    };

    const listed = await source.sheets();
    const hidden = new Set(listed.filter((s) => s.state !== 'visible').map((s) => s.name));
    if (range) {
      // A range's sheet (the CSV's one) was recognised from the file's first rows: every row of the range is read through it.
      sheetName = null;
      current = account({ ...range.account, rows: 0 });
      state = sheetState(range.sheet, headerNo(range.sheet.headers));
    }
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

  /** Refuses the file; with `run`, only while that stage run is current (a range's refusal of an outdated run is no one's). */
  private async refuse(manager: EntityManager, batchId: string, reason: Reason, run?: number): Promise<void> {
    const message = reasonText(reason);
    await manager.transaction(async (tx) => {
      await endRun(tx, batchId);
      const { affected } = await tx.update(ImportBatch, { id: batchId, ...(run === undefined ? {} : { stageRun: run, status: 'staging' as const }) }, {
        status: 'refused', error: message, rowsRead: 0, accepted: 0, rejected: 0, skipped: 0, warnings: 0, stageRangesLeft: null, finishedAt: new Date(),
        // What a cut into ranges recorded of the file's sheet: a refused file has none.
        sourceKind: null, format: null, columns: null, layout: () => 'NULL', sheets: null,
      });
      if (affected === 0) return;
      await tx.delete(SourceRecord, { batchId });
      await tx.delete(SourceHeader, { batchId });
      await tx.delete(Rejection, { batchId });
      await tx.delete(RecordWarning, { batchId });
      await tx.insert(Rejection, { batchId, ...toStored(reason) });
    });
  }

  private async fail(batchId: string, reason: string, run?: number): Promise<void> {
    this.logger.error({ batch: batchId, err: reason }, 'import failed');
    await this.dataSource.transaction(async (tx) => {
      await endRun(tx, batchId);
      await tx.update(
        ImportBatch,
        { id: batchId, ...(run === undefined ? {} : { stageRun: run, status: 'staging' as const }) },
        { status: 'failed', error: reason, stageRangesLeft: null, finishedAt: new Date() },
      );
    });
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

/**
 * Takes the batch row before a stage run is ended (started over, refused, failed): this waits for
 * the chunks that ranges of the run have in flight (they hold the row, see holdRun), so what
 * follows in the transaction sees them; a range's next chunk then finds the run over.
 */
async function endRun(tx: EntityManager, batchId: string): Promise<void> {
  await tx.query('SELECT 1 FROM import_batch WHERE id = $1 FOR UPDATE', [batchId]);
}

/** What reading a recognised sheet's rows needs, with the batch's number for its header. */
function sheetState(sheet: NonNullable<Recognised['imported']>, headerNo: number): SheetState {
  return { layout: sheet.layout, definition: sheet.definition, context: sheet.context, masks: personalDataMasks(sheet.layout), headerNo };
}

/** A CSV's first rows, from which its sheet is recognised (as the whole-file reading takes them). */
async function readHead(reader: CsvReader): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of reader.rows()) {
    rows.push(row);
    if (rows.length >= LAYOUT_WINDOW) break;
  }
  return rows;
}

/** A range's share of the whole file's encoding verdict. */
function decodingCounts(stats: Readonly<CsvStats>): Pick<StageRangeCounts, 'records' | 'damagedRecords' | 'firstDamagedLine'> {
  return { records: stats.records, damagedRecords: stats.damagedRecords, firstDamagedLine: stats.firstDamagedLine };
}

import { posix } from 'path';
import { Readable } from 'stream';
import { describeCause, isProgrammingError, placeOf, ReadFault, SourceError } from './errors';
import { sizeOfSource } from './file-size';
import { displayFileName } from './file-name';
import { MergedDownFill, MergedRange, parseRangeRef } from './merged-cells';
import { countSharedStrings, mayExceed, SHARED_STRINGS_PART, SharedStringsCount, sharedStringsMemory } from './shared-strings';
import { SheetLimits } from './sheet-limits';
import { CellPastLimit, firstCellPastColumns } from './xlsx-columns';
import { CellValue, RawRow, ReaderLimits, resolveLimits, SheetInfo, TabularReader } from './types';
import { decodeXmlEntities, normaliseCellValue } from './xlsx-values';
import { ByteCount, entryStream, measureEntry, readEntryHead, readSmallEntry, readZipDirectory, ZipDirectory, ZipEntry, ZipProblem } from './zip-directory';

/** A worksheet as xl/workbook.xml and its relationships describe it. */
export interface XlsxSheetInfo extends SheetInfo {
  name: string;
  /** Archive path of the sheet part, e.g. xl/worksheets/sheet1.xml (null if unresolved). */
  part: string | null;
  /** 'worksheet' | 'chartsheet' | 'other'. */
  type: 'worksheet' | 'chartsheet' | 'other';
}

/** Where the workbook's shared parts are, as its relationships say (null: the workbook has none). */
export interface WorkbookParts {
  sharedStrings: string | null;
  styles: string | null;
}

export interface ArchiveReport {
  fileBytes: number;
  entries: number;
  uncompressedBytes: number;
  sheets: XlsxSheetInfo[];
  date1904: boolean;
  parts: WorkbookParts;
}

/** Entries bigger than this are checked against the compression ratio limit. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_PATH_DEPTH = 16;
const MAX_META_BYTES = 16 * 1024 * 1024;
/** Longest tag start carried from one chunk of a sheet to the next when looking for merged cells. */
const MAX_CARRIED_TAG = 1024;
/** Where a DTD would have to be: before the root element, at the start of a part. */
const XML_PROLOG_BYTES = 64 * 1024;

// Minimal views of exceljs's untyped streaming objects.
interface StreamCell {
  value: unknown;
  numFmt?: unknown;
}
interface StreamRow {
  number: number;
  eachCell(opts: { includeEmpty: boolean }, cb: (cell: StreamCell, col: number) => void): void;
}
interface StreamWorksheet extends AsyncIterable<StreamRow> {
  name: string;
}
/**
 * exceljs's parsers of the workbook's parts. Its WorkbookReader feeds them from the archive in
 * the order the entries are stored, which breaks on files Excel, WPS or LibreOffice write (a sheet
 * before workbook.xml or styles.xml is read without them or fails; entries at the end of a small
 * archive are dropped when unzipper ends early); we feed them ourselves, shared parts first.
 */
interface PartParsers {
  _parseWorkbook(part: Readable): Promise<void>;
  _parseSharedStrings(part: Readable): AsyncGenerator<unknown>;
  _parseStyles(part: Readable): Promise<void>;
  _parseWorksheet(part: Readable, sheetNo: string): Generator<{ eventType: string; value: StreamWorksheet }>;
}

function attrs(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(tag))) out.set(m[1], decodeXmlEntities(m[3] ?? m[4] ?? ''));
  return out;
}

function localAttr(a: Map<string, string>, local: string, namespaced: boolean): string | undefined {
  for (const [k, v] of a) {
    const idx = k.indexOf(':');
    if (namespaced ? idx >= 0 && k.slice(idx + 1) === local : k === local) return v;
  }
  return undefined;
}

/** Parse sheet order/names from xl/workbook.xml and resolve their parts (and the shared parts) through the rels. */
export function parseWorkbookSheets(
  workbookXml: string,
  relsXml: string | null,
): { sheets: XlsxSheetInfo[]; date1904: boolean; parts: WorkbookParts } {
  const rels = new Map<string, { target: string; type: string }>();
  if (relsXml) {
    for (const m of relsXml.matchAll(/<(?:\w+:)?Relationship\b([^>]*)\/?>/g)) {
      const a = attrs(m[1]);
      const id = a.get('Id');
      const target = a.get('Target');
      if (id && target) rels.set(id, { target, type: a.get('Type') ?? '' });
    }
  }
  const sheets: XlsxSheetInfo[] = [];
  let index = 0;
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
    const a = attrs(m[1]);
    const name = localAttr(a, 'name', false) ?? `Sheet${index + 1}`;
    const rid = localAttr(a, 'id', true);
    const rel = rid ? rels.get(rid) : undefined;
    const part = rel ? partPath(rel.target) : null;
    const type: XlsxSheetInfo['type'] = rel
      ? /\/worksheet$/.test(rel.type)
        ? 'worksheet'
        : /\/chartsheet$/.test(rel.type)
          ? 'chartsheet'
          : 'other'
      : 'worksheet';
    sheets.push({ name, index, state: localAttr(a, 'state', false) ?? 'visible', part, type });
    index++;
  }
  const pr = /<(?:\w+:)?workbookPr\b([^>]*)>/.exec(workbookXml);
  const d = pr ? localAttr(attrs(pr[1]), 'date1904', false) : undefined;
  const partOfType = (type: RegExp, usual: string): string | null => {
    const rel = [...rels.values()].find((r) => type.test(r.type));
    return rel ? partPath(rel.target) : usual;
  };
  const parts = { sharedStrings: partOfType(/\/sharedStrings$/, 'xl/sharedStrings.xml'), styles: partOfType(/\/styles$/, 'xl/styles.xml') };
  return { sheets, date1904: d === '1' || d === 'true', parts };
}

/** A relationship target of xl/workbook.xml as an archive path. */
function partPath(target: string): string {
  const t = target.replace(/\\/g, '/');
  return t.startsWith('/') ? t.slice(1) : posix.normalize(posix.join('xl', t));
}

/**
 * Streaming XLSX reader on top of exceljs's WorkbookReader. Before streaming, the archive's central
 * directory is inspected (and every entry optionally inflated once, counting bytes) to refuse zip
 * bombs, lying headers, truncated files and path tricks with a readable message.
 */
export class XlsxReader implements TabularReader {
  readonly kind = 'xlsx' as const;
  readonly path: string;
  private readonly limits: ReaderLimits;
  private report?: ArchiveReport;
  private entries = new Map<string, ZipEntry>();
  /** Compressed bytes of the parts rows() has read: the workbook, shared strings, styles and sheets. */
  private readonly read: ByteCount = { bytes: 0 };

  constructor(path: string, limits?: Partial<ReaderLimits>) {
    this.path = path;
    this.limits = resolveLimits(limits);
  }

  /** How messages name the file (masked: file names can hold an ID number or a phone). */
  private get file(): string {
    return displayFileName(this.path);
  }

  private fail(code: 'truncated' | 'hostile-archive' | 'unsupported' | 'limit' | 'invalid', detail: string): SourceError {
    if (code === 'truncated') {
      return new SourceError(code, this.file, `workbook ${this.file} is truncated or not a valid XLSX (${detail})`);
    }
    if (code === 'hostile-archive') {
      return new SourceError(code, this.file, `workbook ${this.file} is refused as a hostile archive: ${detail}`);
    }
    return new SourceError(code, this.file, `workbook ${this.file}: ${detail}`);
  }

  /** Check the archive against the limits and read the sheet list. Cached. */
  async inspect(): Promise<ArchiveReport> {
    if (this.report) return this.report;
    const L = this.limits;
    const size = await sizeOfSource(this.path, this.file, 'workbook');
    if (size > L.maxFileBytes) {
      throw new SourceError('too-large', this.file, `workbook ${this.file} is ${size} bytes, more than the limit of ${L.maxFileBytes}`);
    }
    let dir: ZipDirectory;
    try {
      dir = await readZipDirectory(this.path, { maxEntries: L.maxEntries });
    } catch (err) {
      throw this.fromZipProblem(err);
    }
    for (const e of dir.entries) this.checkEntryName(e);
    if (dir.totalUncompressed > L.maxUncompressedBytes) {
      throw this.fail(
        'hostile-archive',
        `its entries claim ${dir.totalUncompressed} uncompressed bytes, more than the limit of ${L.maxUncompressedBytes}`,
      );
    }
    for (const e of dir.entries) {
      if (e.uncompressedSize > RATIO_FLOOR_BYTES) {
        const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
        if (ratio > L.maxCompressionRatio) {
          throw this.fail(
            'hostile-archive',
            `entry ${e.name} has a compression ratio of ${Math.round(ratio)}:1, more than the limit of ${L.maxCompressionRatio}:1`,
          );
        }
      }
    }
    if (dir.totalUncompressed > RATIO_FLOOR_BYTES && dir.totalUncompressed / Math.max(1, size) > L.maxCompressionRatio) {
      throw this.fail('hostile-archive', `the archive expands ${Math.round(dir.totalUncompressed / size)} times, more than the limit of ${L.maxCompressionRatio}`);
    }
    const byName = new Map(dir.entries.map((e) => [e.name, e]));
    const wbEntry = byName.get('xl/workbook.xml');
    if (!wbEntry) {
      if (byName.has('xl/workbook.bin')) throw this.fail('unsupported', 'binary workbooks (.xlsb) are not supported; re-save as .xlsx');
      throw this.fail('truncated', 'the archive has no xl/workbook.xml');
    }
    const sharedStrings = byName.get(SHARED_STRINGS_PART);
    if (sharedStrings) await this.refuseOversizedSharedStrings(sharedStrings);
    if (L.verifyInflatedSizes) {
      let budget = L.maxUncompressedBytes;
      for (const e of dir.entries) {
        try {
          budget -= await measureEntry(this.path, e, budget);
        } catch (err) {
          throw this.fromZipProblem(err);
        }
      }
    }
    await this.refuseDocumentTypes(dir.entries);
    let wbXml: string;
    let relsXml: string | null = null;
    try {
      wbXml = (await readSmallEntry(this.path, wbEntry, MAX_META_BYTES)).toString('utf8');
      const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
      if (relsEntry) relsXml = (await readSmallEntry(this.path, relsEntry, MAX_META_BYTES)).toString('utf8');
    } catch (err) {
      throw this.fromZipProblem(err);
    }
    const { sheets, date1904, parts: named } = parseWorkbookSheets(wbXml, relsXml);
    for (const s of sheets) {
      if (s.type === 'worksheet' && (!s.part || !byName.has(s.part))) {
        throw this.fail('truncated', `sheet ${s.name} points to a missing part ${s.part ?? '(unresolved)'}`);
      }
    }
    const present = (part: string | null) => (part && byName.has(part) ? part : null);
    const parts = { sharedStrings: present(named.sharedStrings), styles: present(named.styles) };
    this.entries = byName;
    this.report = { fileBytes: size, entries: dir.entries.length, uncompressedBytes: dir.totalUncompressed, sheets, date1904, parts };
    return this.report;
  }

  /**
   * exceljs keeps every shared string in memory while it reads the sheets: a table bigger than the
   * limits is refused before it is loaded (a worker killed by it would be handed the file again).
   * Counting is skipped when the part's declared size alone keeps it within the limits.
   */
  private async refuseOversizedSharedStrings(entry: ZipEntry): Promise<void> {
    const L = this.limits;
    if (!mayExceed(entry.uncompressedSize, L)) return;
    let count: SharedStringsCount;
    try {
      count = await countSharedStrings(this.path, entry, L);
    } catch (err) {
      throw this.fromZipProblem(err);
    }
    const tooMany = count.strings > L.maxSharedStrings;
    if (!tooMany && count.chars <= L.maxSharedStringChars) return;
    // Counting stopped at the limit: the rest of the part holds proportionally more.
    const scale = Math.max(1, entry.uncompressedSize / Math.max(1, count.bytes));
    const megabytes = Math.ceil(sharedStringsMemory({ strings: count.strings * scale, chars: count.chars * scale }) / 1_000_000);
    const over = tooMany ? `more than ${L.maxSharedStrings} strings (limit maxSharedStrings)` : `more than ${L.maxSharedStringChars} characters (limit maxSharedStringChars)`;
    throw new SourceError('memory', this.file, `workbook ${this.file}: the workbook's shared strings need more memory than the worker has: ${megabytes} MB (${SHARED_STRINGS_PART} holds ${over})`);
  }

  /**
   * Excel never writes a DTD: one in a part can only declare entities (billion laughs, external
   * files). The XML parser would not expand them, but such a file is refused with a clear reason.
   */
  private async refuseDocumentTypes(entries: ZipEntry[]): Promise<void> {
    for (const e of entries.filter((entry) => /\.(xml|rels)$/i.test(entry.name))) {
      let head: Buffer;
      try {
        head = await readEntryHead(this.path, e, XML_PROLOG_BYTES);
      } catch (err) {
        throw this.fromZipProblem(err);
      }
      if (/<!(DOCTYPE|ENTITY)/i.test(head.toString('latin1'))) {
        throw this.fail('hostile-archive', `entry ${e.name} declares a DTD (<!DOCTYPE>/<!ENTITY>), which no spreadsheet program writes`);
      }
    }
  }

  private checkEntryName(e: ZipEntry): void {
    const n = e.name;
    const segments = n.split('/');
    if (
      n.includes('\0') ||
      n.includes('\\') ||
      n.startsWith('/') ||
      /^[A-Za-z]:/.test(n) ||
      segments.some((s) => s === '..') ||
      segments.length > MAX_PATH_DEPTH ||
      n.length > 1024
    ) {
      throw this.fail('hostile-archive', `entry name ${JSON.stringify(n.slice(0, 200))} is not a plain relative path`);
    }
  }

  private fromZipProblem(err: unknown): SourceError {
    if (err instanceof SourceError) return err;
    if (err instanceof ZipProblem) {
      if (err.kind === 'hostile') return this.fail('hostile-archive', err.message);
      if (err.kind === 'unsupported') return this.fail('unsupported', err.message);
      return this.fail('truncated', err.message);
    }
    return this.fail('truncated', describeCause(err));
  }

  /** Sheets in workbook order (worksheets only; chart sheets have no rows). */
  async sheets(): Promise<XlsxSheetInfo[]> {
    const r = await this.inspect();
    return r.sheets.filter((s) => s.type === 'worksheet');
  }

  [Symbol.asyncIterator](): AsyncGenerator<RawRow> {
    return this.rows();
  }

  bytesRead(): number {
    return this.read.bytes;
  }

  /**
   * Every row of every worksheet, in workbook order. Rows absent from the file (never touched in
   * Excel) are not yielded; a value merged down several rows is given to each of them.
   * @param only restrict to these sheet names (other sheets are not read)
   */
  async *rows(only?: readonly string[]): AsyncGenerator<RawRow> {
    const report = await this.inspect();
    this.read.bytes = 0;
    // exceljs is loaded when a workbook is read: a command that reads none starts without it.
    const ExcelJS = await import('exceljs');
    const parsers = new ExcelJS.stream.xlsx.WorkbookReader(this.path, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      worksheets: 'emit',
    }) as unknown as PartParsers;
    const open: Readable[] = [];
    const part = async (name: string) => {
      const stream = await entryStream(this.path, this.entries.get(name) as ZipEntry, this.read);
      open.push(stream);
      return stream;
    };
    let inLibrary = true;
    // Where reading is, for a fault of ours: the sheet's part and name, and the last row exceljs handed over.
    let sheetPart: string | null | undefined;
    let sheet: string | undefined;
    let lastRow: number | undefined;
    try {
      await parsers._parseWorkbook(await part('xl/workbook.xml'));
      if (report.parts.sharedStrings) for await (const _ of parsers._parseSharedStrings(await part(report.parts.sharedStrings)));
      if (report.parts.styles) await parsers._parseStyles(await part(report.parts.styles));
      const sheets = (await this.sheets()).filter((s) => !only || only.includes(s.name));
      for (const info of sheets) {
        sheet = info.name;
        sheetPart = info.part;
        lastRow = undefined;
        const fill = new MergedDownFill(await this.mergedRanges(info));
        const limits = new SheetLimits(this.file, sheet, this.limits);
        const [{ value: ws }] = [...parsers._parseWorksheet(await part(info.part as string), String(info.index + 1))];
        for await (const row of ws) {
          lastRow = row.number;
          limits.row(row.number);
          const cells = fill.apply(row.number, rowCells(row, limits, report.date1904));
          inLibrary = false;
          yield { sheet, ref: `${sheet}!${row.number}`, line: row.number, cells };
          inLibrary = true;
        }
      }
    } catch (err) {
      if (err instanceof SourceError || !inLibrary) throw err;
      // exceljs fails with a text of its own on a cell past column XFD (or one without a reference, placed past it).
      const pastLimit = sheetPart && sheet ? await this.cellPastColumnLimit(sheetPart).catch(() => null) : null;
      if (pastLimit && sheet) throw new SheetLimits(this.file, sheet, this.limits).pastColumns(pastLimit.row, pastLimit.column);
      // The archive passed inspection: a bug's error is ours (or exceljs's), anything else is the file's.
      if (isProgrammingError(err)) throw new ReadFault(this.file, placeOf(sheet, lastRow), err);
      throw this.fromZipProblem(err);
    } finally {
      for (const stream of open) stream.destroy();
    }
  }

  private async cellPastColumnLimit(part: string): Promise<CellPastLimit | null> {
    const entry = this.entries.get(part);
    return entry ? firstCellPastColumns(this.path, entry, this.limits.maxColumns) : null;
  }

  /** The sheet's merged ranges (<mergeCell ref="A5:A14"/>, stored after its rows), read before its rows. */
  private async mergedRanges(info: XlsxSheetInfo): Promise<MergedRange[]> {
    const ranges: MergedRange[] = [];
    const stream = await entryStream(this.path, this.entries.get(info.part as string) as ZipEntry);
    const tag = /<(?:\w+:)?mergeCell\b([^>]*)>/g;
    // The start of a tag cut by the end of a chunk, carried into the next one.
    let carry: Buffer = Buffer.alloc(0);
    try {
      for await (const chunk of stream) {
        const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        const lastTag = bytes.lastIndexOf(0x3c); // '<'
        // Rows make up nearly all of a sheet: most chunks are only searched, not decoded.
        if (!bytes.includes('mergeCell')) {
          carry = lastTag >= 0 && bytes.length - lastTag <= MAX_CARRIED_TAG ? bytes.subarray(lastTag) : Buffer.alloc(0);
          continue;
        }
        // Refs are ASCII: latin1 keeps byte offsets.
        const text = bytes.toString('latin1');
        let end = 0;
        for (const m of text.matchAll(tag)) {
          const range = parseRangeRef(attrs(m[1]).get('ref') ?? '');
          if (range && range.bottom > range.top) ranges.push(range);
          end = (m.index ?? 0) + m[0].length;
        }
        if (ranges.length > this.limits.maxRows) {
          throw new SourceError('limit', this.file, `workbook ${this.file} sheet ${info.name} has more than ${this.limits.maxRows} cells merged down (limit maxRows)`);
        }
        carry = lastTag >= end ? bytes.subarray(lastTag) : Buffer.alloc(0);
      }
    } finally {
      stream.destroy();
    }
    return ranges;
  }
}

/** A row's values, normalised, up to its last non-empty cell. */
function rowCells(row: StreamRow, limits: SheetLimits, date1904: boolean): CellValue[] {
  const cells: CellValue[] = [];
  let last = -1;
  row.eachCell({ includeEmpty: false }, (cell, col) => {
    const v = limits.cell(row.number, col, normaliseCellValue(cell.value, cell.numFmt, date1904));
    while (cells.length < col - 1) cells.push(null);
    cells[col - 1] = v;
    if (v !== null) last = col - 1;
  });
  cells.length = last + 1;
  return cells;
}

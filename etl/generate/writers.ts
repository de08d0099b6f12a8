/**
 * Streaming writers for the generator's outputs. Every writer respects the
 * destination's backpressure so memory stays flat however large the city.
 */
import * as fs from 'fs';
import { once } from 'events';
import * as iconv from 'iconv-lite';
import * as ExcelJS from 'exceljs';

export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gb18030';
export type Cell = string | number | null | undefined;

const FLUSH_AT = 1 << 16;

async function writeChunk(stream: fs.WriteStream, chunk: Buffer | string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

function endStream(stream: fs.WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    stream.end(() => resolve());
  });
}

export function csvQuote(value: Cell): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  if (/[",\r\n]/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/**
 * CSV through a file stream, with the encoding and line ending of the source it
 * imitates. Knows the physical line each record starts on (header = line 1),
 * counting newlines embedded in quoted cells.
 */
export class CsvWriter {
  private readonly stream: fs.WriteStream;
  private pending = '';
  /** Physical line the next record will start on. */
  nextLine = 1;
  rows = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly encoding: CsvEncoding = 'utf8',
    private readonly eol: '\n' | '\r\n' = '\n',
  ) {
    this.stream = fs.createWriteStream(path);
    if (encoding === 'utf8-bom') this.pending = '\ufeff';
  }

  /** Writes one record; resolves to the line it starts on. */
  async row(cells: readonly Cell[]): Promise<number> {
    const start = this.nextLine;
    let text = '';
    for (let i = 0; i < cells.length; i++) {
      if (i) text += ',';
      text += csvQuote(cells[i]);
    }
    let embedded = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) embedded++;
    this.nextLine += embedded + 1;
    this.pending += text + this.eol;
    this.rows++;
    if (this.pending.length >= FLUSH_AT) await this.flush();
    return start;
  }

  private async flush(): Promise<void> {
    if (!this.pending) return;
    const buf =
      this.encoding === 'gb18030' ? iconv.encode(this.pending, 'gb18030') : Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.bytes += buf.length;
    await writeChunk(this.stream, buf);
  }

  async close(): Promise<void> {
    await this.flush();
    await endStream(this.stream);
  }
}

/** A JSON array written element by element (pretty-printed with one-space indent). */
export class JsonArrayWriter {
  private readonly stream: fs.WriteStream;
  private pending = '[';
  count = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.stream = fs.createWriteStream(path);
  }

  /** Appends one element; resolves to its index (the JSON pointer /index). */
  async push(value: unknown): Promise<number> {
    const body = JSON.stringify(value, null, 1).replace(/\n/g, '\n ');
    this.pending += (this.count ? ',\n ' : '\n ') + body;
    const index = this.count++;
    if (this.pending.length >= FLUSH_AT) await this.flush();
    return index;
  }

  private async flush(): Promise<void> {
    const buf = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    this.bytes += buf.length;
    await writeChunk(this.stream, buf);
  }

  async close(): Promise<void> {
    this.pending += this.count ? '\n]\n' : ']\n';
    await this.flush();
    await endStream(this.stream);
  }
}

/** Fixed timestamp for workbook properties and zip entries: same seed → same bytes. */
export const FIXED_DATE = new Date(Date.UTC(2024, 0, 15, 0, 0, 0));

type ZipLike = { append: (src: unknown, data: Record<string, unknown>) => unknown; __fixedDate?: boolean };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const WorkbookWriterBase = ExcelJS.stream.xlsx.WorkbookWriter as unknown as new (options: object) => any;

/**
 * archiver stamps every zip entry with "now"; the writer's constructor already
 * appends two entries, so the stamp is fixed from its first append on.
 */
class DeterministicWorkbookWriter extends WorkbookWriterBase {
  addThemes(): unknown {
    const zip = this.zip as ZipLike;
    if (!zip.__fixedDate) {
      const append = zip.append.bind(zip);
      // zip entries keep local wall-clock time: a local date gives the same bytes in every time zone
      const local = new Date(2024, 0, 15, 12, 0, 0);
      zip.append = (src, data) => append(src, { ...data, date: local });
      zip.__fixedDate = true;
    }
    return super.addThemes();
  }
}

/**
 * exceljs's streaming WorkbookWriter with deterministic output and explicit row
 * numbers (so spacer rows, titles and two-row headers land where Excel shows them).
 */
export class XlsxBook {
  readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly file: fs.WriteStream;
  private current?: XlsxSheet;
  readonly sheets: XlsxSheet[] = [];

  constructor(readonly path: string, useStyles = false) {
    this.file = fs.createWriteStream(path);
    this.wb = new DeterministicWorkbookWriter({
      stream: this.file,
      useStyles,
      useSharedStrings: false,
      zip: { zlib: { level: 6 } },
    }) as ExcelJS.stream.xlsx.WorkbookWriter;
    this.wb.creator = 'qingcheng-generator';
    this.wb.created = FIXED_DATE;
    this.wb.modified = FIXED_DATE;
  }

  /** Starts a sheet; the previous one is committed first (sheets are written one at a time). */
  async sheet(name: string): Promise<XlsxSheet> {
    if (this.current) await this.current.commit();
    const ws = this.wb.addWorksheet(name);
    this.current = new XlsxSheet(name, ws, this.file);
    this.sheets.push(this.current);
    return this.current;
  }

  async close(): Promise<void> {
    if (this.current) await this.current.commit();
    await this.wb.commit();
    if (!this.file.closed) await once(this.file, 'close');
  }
}

export class XlsxSheet {
  /** Last row number written. */
  row = 0;
  dataRows = 0;
  private committed = false;
  private sinceYield = 0;

  constructor(
    readonly name: string,
    readonly ws: ExcelJS.Worksheet,
    private readonly file: fs.WriteStream,
  ) {}

  /** Writes values at the next row (or after `skip` blank rows); resolves to the row number. */
  async add(values: readonly Cell[], skip = 0): Promise<number> {
    this.row += skip + 1;
    const r = this.ws.getRow(this.row);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && v !== '') r.getCell(i + 1).value = v;
    }
    r.commit();
    if (++this.sinceYield >= 500) {
      this.sinceYield = 0;
      // let zlib and the file stream catch up
      if (this.file.writableNeedDrain) await once(this.file, 'drain');
      else await new Promise((resolve) => setImmediate(resolve));
    }
    return this.row;
  }

  /** Leaves `n` blank rows. */
  blank(n = 1): void {
    this.row += n;
  }

  merge(range: string): void {
    this.ws.mergeCells(range);
  }

  async commit(): Promise<void> {
    if (this.committed) return;
    this.committed = true;
    await (this.ws as unknown as { commit(): Promise<void> | void }).commit();
  }
}

/** Column letter for a 1-based index. */
export function col(n: number): string {
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

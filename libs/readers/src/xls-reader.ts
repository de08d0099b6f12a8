import { promises as fsp } from 'fs';
import { basename } from 'path';
import type * as XLSX from '@e965/xlsx';
import { describeCause, SourceError } from './errors';
import { sizeOfSource } from './file-size';
import { MergedDownFill } from './merged-cells';
import { SheetLimits } from './sheet-limits';
import { CellValue, RawRow, ReaderLimits, resolveLimits, SheetInfo, TabularReader } from './types';
import { normaliseCellValue } from './xlsx-values';

const SHEET_STATES = ['visible', 'hidden', 'veryHidden'];

/** A worksheet of an .xls: always named, in workbook order. */
export interface XlsSheetInfo extends SheetInfo {
  name: string;
}

/**
 * Legacy Excel 97-2003 workbooks (.xls, BIFF in an OLE2 compound file) through SheetJS. A BIFF
 * file cannot be streamed, so it is read whole, and only up to `maxWholeWorkbookBytes`; the rows
 * come out as the XLSX reader gives them: `SHEET!ROW` refs, dates as dates (by number format),
 * numbers as numbers (an ID typed as a number stays the damaged number Excel kept), values merged
 * down given to each row, the same row, column and cell limits.
 */
export class XlsReader implements TabularReader {
  readonly kind = 'xls' as const;
  readonly path: string;
  private readonly limits: ReaderLimits;
  private book?: XLSX.WorkBook;
  /** The workbook is read whole, before its first row. */
  private loadedBytes = 0;

  constructor(path: string, limits?: Partial<ReaderLimits>) {
    this.path = path;
    this.limits = resolveLimits(limits);
  }

  private get file(): string {
    return basename(this.path);
  }

  bytesRead(): number {
    return this.loadedBytes;
  }

  /** Read the whole workbook once, within the size limits. */
  private async load(): Promise<XLSX.WorkBook> {
    if (this.book) return this.book;
    const L = this.limits;
    const size = await sizeOfSource(this.path, this.file, 'workbook');
    const limit = Math.min(L.maxFileBytes, L.maxWholeWorkbookBytes);
    if (size > limit) {
      throw new SourceError(
        'too-large',
        this.file,
        `workbook ${this.file} is a legacy .xls of ${size} bytes, more than the limit of ${limit} for a workbook read whole into memory; save it as .xlsx`,
      );
    }
    const data = await fsp.readFile(this.path);
    this.loadedBytes = data.length;
    // SheetJS is loaded when a legacy workbook is read: a command that reads none starts without it.
    const { read } = await import('@e965/xlsx');
    try {
      this.book = quietly(() => read(data, {
        type: 'buffer',
        dense: true,
        cellNF: true,
        cellText: false,
        cellHTML: false,
        cellFormula: false,
        cellDates: false,
        // One row more than allowed, so that a sheet over the limit is told apart from one at it.
        sheetRows: L.maxRows + 1,
      }));
    } catch (err) {
      const detail = describeCause(err);
      if (/password|encrypt/i.test(detail)) {
        throw new SourceError('unsupported', this.file, `workbook ${this.file} is password-protected; open it in Excel and save it without a password as .xlsx`);
      }
      throw this.invalid(detail);
    }
    const lost = this.book.SheetNames.find((name) => !this.book?.Sheets[name]);
    if (lost !== undefined) throw this.invalid(`sheet ${lost} is listed but its cells are missing`);
    return this.book;
  }

  private invalid(detail: string): SourceError {
    return new SourceError('truncated', this.file, `workbook ${this.file} is truncated or not a valid .xls workbook (${detail})`);
  }

  /** Worksheets in workbook order (chart and macro sheets have no rows). */
  async sheets(): Promise<XlsSheetInfo[]> {
    const book = await this.load();
    const props = book.Workbook?.Sheets ?? [];
    return book.SheetNames.map((name, index) => ({ name, index, state: SHEET_STATES[props[index]?.Hidden ?? 0] ?? 'hidden' })).filter(
      (s) => (book.Sheets[s.name]['!type'] ?? 'sheet') === 'sheet',
    );
  }

  [Symbol.asyncIterator](): AsyncGenerator<RawRow> {
    return this.rows();
  }

  /**
   * Every row of every worksheet, in workbook order; rows the file does not hold are not yielded.
   * @param only restrict to these sheet names
   */
  async *rows(only?: readonly string[]): AsyncGenerator<RawRow> {
    const book = await this.load();
    const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
    for (const { name: sheet } of await this.sheets()) {
      if (only && !only.includes(sheet)) continue;
      const ws = book.Sheets[sheet];
      const limits = new SheetLimits(this.file, sheet, this.limits);
      const fill = new MergedDownFill((ws['!merges'] ?? []).map((m) => ({ top: m.s.r + 1, bottom: m.e.r + 1, left: m.s.c, right: m.e.c })));
      // Dense mode: rows of cells, with holes where the file holds no row or cell.
      const data: ((XLSX.CellObject | undefined)[] | undefined)[] = ws['!data'] ?? [];
      for (let r = 0; r < data.length; r++) {
        const row = data[r];
        if (!row) continue;
        const line = r + 1;
        limits.row(line);
        const cells = fill.apply(line, rowCells(row, line, limits, date1904));
        yield { sheet: sheet, ref: `${sheet}!${line}`, line, cells };
      }
    }
  }
}

/**
 * Run SheetJS's synchronous read with its console reports (records of a damaged file it skips)
 * silenced: they bypass the logger, and the rows or the refusal say what matters.
 */
function quietly<T>(read: () => T): T {
  const report = console.error;
  console.error = () => undefined;
  try {
    return read();
  } finally {
    console.error = report;
  }
}

/** A row's values, normalised as the XLSX reader does, up to its last non-empty cell. */
function rowCells(row: (XLSX.CellObject | undefined)[], line: number, limits: SheetLimits, date1904: boolean): CellValue[] {
  const cells: CellValue[] = [];
  for (let c = 0; c < row.length; c++) {
    const cell = row[c];
    const value = !cell || cell.t === 'e' || cell.t === 'z' ? null : cell.t === 's' ? String(cell.v) : normaliseCellValue(cell.v, cell.z, date1904);
    cells.push(value === null ? null : limits.cell(line, c + 1, value));
  }
  let last = cells.length - 1;
  while (last >= 0 && cells[last] === null) last--;
  cells.length = last + 1;
  return cells;
}

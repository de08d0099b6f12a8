/** A normalised cell value, whatever the source format. */
export type CellValue = string | number | boolean | Date | null;

/**
 * One row of a tabular source.
 * - `sheet`: worksheet name for XLSX/XLS, null for CSV/JSON.
 * - `ref`: the project-wide record reference: `SHEET!ROW` (XLSX/XLS, the row number Excel shows),
 *   the physical line the record starts on (CSV, header = line 1), a JSON pointer (JSON).
 * - `line`: the Excel row number, the CSV start line, or the JSON line the element starts on.
 */
export interface RawRow {
  sheet: string | null;
  ref: string;
  line: number;
  cells: CellValue[];
}

export interface ReaderLimits {
  /** Largest file accepted on disk. */
  maxFileBytes: number;
  /**
   * .xls: largest file accepted, as it is read whole into memory (SheetJS cannot stream it): about
   * 22 times its size while read (a 13 MB file of 60,000 rows took 300 MB).
   */
  maxWholeWorkbookBytes: number;
  /** XLSX: largest sum of uncompressed entry sizes. */
  maxUncompressedBytes: number;
  /** XLSX: largest uncompressed/compressed ratio of an entry (and of the whole archive). */
  maxCompressionRatio: number;
  /** Rows per sheet (CSV: records per file). */
  maxRows: number;
  /** Cells per row. */
  maxColumns: number;
  /** Characters per cell. */
  maxCellChars: number;
  /** XLSX: number of entries in the archive. */
  maxEntries: number;
  /** JSON: deepest nesting of arrays/objects. */
  maxDepth: number;
  /** JSON: characters of one top-level element. */
  maxElementChars: number;
  /** XLSX: strings in the shared-strings table (exceljs holds the whole table in memory). */
  maxSharedStrings: number;
  /** XLSX: characters of all shared strings together. */
  maxSharedStringChars: number;
  /**
   * XLSX: inflate every entry once before streaming to check that no entry expands beyond the size
   * its central directory claims (catches lying headers and corrupt data early).
   */
  verifyInflatedSizes: boolean;
}

export const DEFAULT_LIMITS: Readonly<ReaderLimits> = Object.freeze({
  maxFileBytes: 256 * 1024 * 1024,
  maxWholeWorkbookBytes: 32 * 1024 * 1024,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxRows: 1_048_576,
  maxColumns: 16_384,
  maxCellChars: 32_767,
  maxEntries: 10_000,
  maxDepth: 64,
  maxElementChars: 64 * 1024 * 1024,
  maxSharedStrings: 1_000_000,
  maxSharedStringChars: 50_000_000,
  verifyInflatedSizes: true,
});

export function resolveLimits(limits?: Partial<ReaderLimits>): ReaderLimits {
  const out: ReaderLimits = { ...DEFAULT_LIMITS };
  if (limits) {
    for (const key of Object.keys(limits) as (keyof ReaderLimits)[]) {
      const v = limits[key];
      if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return out;
}

export interface SheetInfo {
  /** Sheet name as the workbook shows it; null for CSV. */
  name: string | null;
  /** Position in the workbook (0-based). */
  index: number;
  /** 'visible' | 'hidden' | 'veryHidden' for workbooks (XLSX, XLS), 'visible' otherwise. */
  state: string;
}

/** Common shape of the tabular readers (CSV, XLSX, XLS). */
export interface TabularReader extends AsyncIterable<RawRow> {
  readonly kind: 'csv' | 'xlsx' | 'xls';
  readonly path: string;
  sheets(): Promise<SheetInfo[]>;
  rows(): AsyncGenerator<RawRow>;
  /** Bytes of the file read so far by rows(): how far reading is, of the file's size. */
  bytesRead(): number;
}

import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface CsvOptions {
  header: readonly string[];
  /** Start with a UTF-8 byte order mark, so that Excel reads Chinese text as UTF-8. */
  bom?: boolean;
}

/** A spreadsheet runs text starting with these as a formula (tab and CR can hide such a start). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as RFC 4180 text. Text a spreadsheet would run as a formula gets a leading apostrophe;
 * numbers are written as they are (-5 is a number, not a formula). Objects are written as JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const defused = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export function csvRecord(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * Writes a header and the rows to `out` (and ends it). A row is pulled only when `out` has room,
 * so a table larger than memory streams through. Resolves with the number of rows written.
 */
export async function writeCsv(rows: AsyncIterable<readonly unknown[]>, out: Writable, options: CsvOptions): Promise<number> {
  let written = 0;
  async function* records(): AsyncGenerator<string> {
    yield `${options.bom ? '\uFEFF' : ''}${csvRecord(options.header)}`;
    for await (const row of rows) {
      written++;
      yield csvRecord(row);
    }
  }
  await pipeline(Readable.from(records()), out);
  return written;
}

import { because, Reason } from '@qc/reasons';
import { cleanText } from '@qc/text';

/** What a spreadsheet/CSV/JSON reader hands us for one cell (exceljs gives Date for date cells). */
export type Cell = string | number | Date | boolean | null | undefined;

export type Ok<T> = { ok: true; value: T; flags?: string[] };
/** `blank` marks an empty cell, which callers usually treat differently from a bad value. */
export type Fail = { ok: false; reason: Reason; blank?: true };
export type ParseResult<T> = Ok<T> | Fail;

export function ok<T>(value: T, flags?: string[]): Ok<T> {
  return flags && flags.length > 0 ? { ok: true, value, flags } : { ok: true, value };
}

export function fail(reason: Reason): Fail {
  return { ok: false, reason };
}

export const BLANK: Fail = Object.freeze({ ok: false, reason: because('empty-cell'), blank: true }) as Fail;

/**
 * The cell as cleaned text, or a failure for a blank cell or a type the caller cannot read as
 * text (Date, boolean). Numbers are written without exponent where JavaScript allows.
 */
export function cellText(cell: Cell): ParseResult<string> {
  if (cell == null) return BLANK;
  if (typeof cell === 'boolean' || cell instanceof Date) return fail(because('unexpected-cell', { kind: kindOf(cell) }));
  const text = cleanText(typeof cell === 'number' ? String(cell) : cell);
  return text === '' ? BLANK : ok(text);
}

function kindOf(cell: boolean | Date): string {
  return typeof cell === 'boolean' ? `boolean ${cell}` : 'date value';
}

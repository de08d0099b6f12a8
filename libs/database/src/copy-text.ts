import { prepareValue } from 'pg/lib/utils';

/**
 * One value as a field of COPY's text format. The value is first turned into the text
 * node-postgres would send for it as a query parameter (dates, arrays and objects alike), so a
 * row written by COPY holds what the INSERT path would have stored; then COPY's own escapes apply.
 */
export function copyField(value: unknown): string {
  const prepared: string | Buffer | null = prepareValue(value);
  if (prepared === null) return '\\N';
  // A Buffer (bytea) goes as hex input, whose leading backslash COPY needs doubled.
  if (Buffer.isBuffer(prepared)) return `\\\\x${prepared.toString('hex')}`;
  return escapeCopyText(prepared);
}

/** One row of fields as a line of COPY's text format. */
export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i > 0 ? '\t' : '') + copyField(values[i]);
  return `${line}\n`;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Backslash, tab, newline and carriage return are COPY's delimiters and escape: everything else goes as it is. */
export function escapeCopyText(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : text;
}

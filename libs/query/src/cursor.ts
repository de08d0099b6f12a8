/** Input a caller got wrong (a cursor that is not one of ours, a name that cannot be searched): a 400, never a 500. */
export class QueryInputError extends Error {}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export interface Page<T> {
  items: T[];
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: string | null;
}

const VERSION = 'v1';

/**
 * An opaque, restart-stable keyset cursor: the list it belongs to and the sort key of the last row
 * served, base64url-encoded. It holds no secret (ids and sequence numbers only), so it is not signed;
 * decoding checks its shape and that it belongs to the list it is used with.
 */
export function encodeCursor(list: string, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([VERSION, list, ...key]), 'utf8').toString('base64url');
}

/** The key parts of a cursor of `list`, each checked against its shape (so SQL only ever sees well-formed keys). */
export function decodeCursor(list: string, cursor: string, shape: readonly RegExp[]): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const valid = Array.isArray(parsed) && parsed.length === shape.length + 2 && parsed[0] === VERSION && parsed.every((part) => typeof part === 'string');
  if (!valid) throw new QueryInputError('the cursor is not valid: pass the nextCursor of a previous page unchanged');
  const parts = parsed as string[];
  if (parts[1] !== list) throw new QueryInputError(`the cursor belongs to another list, not to ${list}`);
  const key = parts.slice(2);
  if (!key.every((part, i) => shape[i].test(part))) throw new QueryInputError('the cursor is not valid: pass the nextCursor of a previous page unchanged');
  return key;
}

export const UUID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SEQ_KEY = /^[1-9][0-9]{0,18}$/;

/** Rows fetched with limit + 1 → the page (still rows) and the cursor after its last row. */
export function toPage<Row>(list: string, rows: Row[], limit: number, keyOf: (row: Row) => string[]): Page<Row> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(list, keyOf(items[items.length - 1])) : null };
}

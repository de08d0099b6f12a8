import { significantPrefix } from '@qc/divisions';
import { decodeCursor, Page, toPage, UUID_KEY } from './cursor';
import type { ReadDatabase } from './read-database';

/** Collects WHERE clauses and their positional parameters. */
export class SqlFilter {
  readonly params: unknown[] = [];
  private readonly clauses: string[] = [];

  /** `$n` for a new parameter. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? 'TRUE' : this.clauses.join(' AND ');
  }
}

/** The 12-digit code range of a division and everything below it, for btree range scans. */
export function divisionCodeRange(code: string): [string, string] {
  const prefix = significantPrefix(code);
  return [prefix.padEnd(12, '0'), prefix.padEnd(12, '9')];
}

/** `text` with LIKE's wildcards escaped, to match literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of `SELECT … FROM … WHERE filter` in id order, after the cursor's id. The select must
 * name the id column `id`; `idColumn` is how the WHERE clause reaches it (k.id).
 */
export async function pageById<Row extends { id: string }>(
  dataSource: ReadDatabase, list: string, select: string, idColumn: string, f: SqlFilter, page: { after?: string; limit: number },
): Promise<Page<Row>> {
  if (page.after) f.where(`${idColumn} > ${f.param(decodeCursor(list, page.after, [UUID_KEY])[0])}`);
  const rows: Row[] = await dataSource.query(`${select} WHERE ${f.sql} ORDER BY ${idColumn} LIMIT ${f.param(page.limit + 1)}`, f.params);
  return toPage(list, rows, page.limit, (r) => [r.id]);
}

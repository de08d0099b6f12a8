import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { copyLine } from './copy-text';

/** The primary key of each inserted row, in the order of the rows given. */
export interface InsertedRows { identifiers: Record<string, unknown>[] }

/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/** Below this many rows one INSERT costs no more than setting up a COPY. */
const COPY_FROM_ROWS = 64;

/** Rows per chunk of COPY text handed to the socket. */
const COPY_CHUNK_ROWS = 500;

/**
 * Multi-row INSERT of complete rows, written straight as SQL from the entity's metadata. Bulk
 * staging and merging insert millions of rows, and TypeORM's insert builder spent more time
 * escaping and merging parameter maps than PostgreSQL spent storing them. A property a row leaves
 * undefined takes the column's DEFAULT (generated keys, timestamps, empty jsonb). Many rows that
 * carry their own primary key (entity ids are made in Node) go by COPY instead: nothing needs
 * to come back, and COPY skips parsing and planning a statement of tens of thousands of parameters.
 */
export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<InsertedRows> {
  if (rows.length === 0) return { identifiers: [] };
  const metadata = manager.connection.getMetadata(target);
  const keyed = rows.every((row) => metadata.primaryColumns.every((c) => row[c.propertyName] !== undefined && row[c.propertyName] !== null));
  if (keyed && rows.length >= COPY_FROM_ROWS) {
    await copyRows(manager, target, rows);
    return { identifiers: rows.map((row) => Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, row[c.propertyName]]))) };
  }
  const columns = presentColumns(metadata, rows);
  const primary = metadata.primaryColumns.map((c) => c.databaseName);
  const returning = primary.map(quoteName).join(', ');
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
  const identifiers: Record<string, unknown>[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const slice = rows.slice(start, start + rowsPerStatement);
    const parameters: unknown[] = [];
    const tuples = slice.map((row) => `(${columns.map((column) => {
      const value = row[column.propertyName];
      if (value === undefined) return 'DEFAULT';
      parameters.push(toDatabaseValue(column, value));
      return `$${parameters.length}`;
    }).join(', ')})`);
    const head = columns.length > 0 ? `(${columns.map((c) => quoteName(c.databaseName)).join(', ')}) VALUES ${tuples.join(', ')}` : 'DEFAULT VALUES';
    const result: Record<string, unknown>[] = await manager.query(
      `INSERT INTO ${quoteName(metadata.tableName)} ${head}${returning ? ` RETURNING ${returning}` : ''}`,
      parameters,
    );
    for (const inserted of result) identifiers.push(Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyName, inserted[c.databaseName]])));
  }
  return { identifiers };
}

/**
 * Rows whose generated keys nobody needs back: by COPY when there are many, else one INSERT (a
 * COPY costs a round trip more, which a handful of rows does not win back).
 */
export async function writeRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
  if (rows.length >= COPY_FROM_ROWS) await copyRows(manager, target, rows);
  else await insertRows(manager, target, rows);
}

/**
 * Bulk insert by COPY FROM STDIN (text format) on the connection the manager's transaction holds,
 * so the rows commit or roll back with it. Nothing is returned: a caller that needs generated
 * keys supplies them (newEntityId, reserveIds) or uses insertRows. COPY has no per-row DEFAULT
 * (before PostgreSQL 16), so rows are copied in groups that leave the same properties undefined.
 */
export async function copyRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const groups = new Map<string, Partial<T>[]>();
  for (const row of rows) {
    const signature = metadata.columns.map((c) => (row[c.propertyName] === undefined ? '0' : '1')).join('');
    const group = groups.get(signature);
    if (group) group.push(row);
    else groups.set(signature, [row]);
  }
  await withClient(manager, async (client) => {
    for (const group of groups.values()) {
      const columns = presentColumns(metadata, group);
      const sql = `COPY ${quoteName(metadata.tableName)} (${columns.map((c) => quoteName(c.databaseName)).join(', ')}) FROM STDIN`;
      await pipeline(Readable.from(copyText(columns, group)), client.query(copyFrom(sql)));
    }
  });
}

/** The rows as COPY text, a chunk at a time, so a large batch is never one string in memory. */
function* copyText<T extends ObjectLiteral>(columns: ColumnMetadata[], rows: Partial<T>[]): Generator<string> {
  for (let start = 0; start < rows.length; start += COPY_CHUNK_ROWS) {
    let chunk = '';
    for (const row of rows.slice(start, start + COPY_CHUNK_ROWS)) chunk += copyLine(columns.map((c) => toDatabaseValue(c, row[c.propertyName])));
    yield chunk;
  }
}

/** The pg client of the manager's query runner (its transaction's), or of a runner of its own for the call. */
async function withClient<R>(manager: EntityManager, work: (client: ClientBase) => Promise<R>): Promise<R> {
  const held = manager.queryRunner;
  if (held && !held.isReleased) return work((await held.connect()) as ClientBase);
  const runner = manager.connection.createQueryRunner();
  try {
    return await work((await runner.connect()) as ClientBase);
  } finally {
    await runner.release();
  }
}

/** Reserves `count` values of a table's serial key, ascending, for rows that must know their ids before they are copied. */
export async function reserveIds(manager: EntityManager, target: EntityTarget<ObjectLiteral>, count: number): Promise<string[]> {
  if (count === 0) return [];
  const metadata = manager.connection.getMetadata(target);
  const rows: { id: string }[] = await manager.query(
    `SELECT id::text AS id FROM (SELECT nextval(pg_get_serial_sequence($1, $2)) AS id FROM generate_series(1, $3)) s ORDER BY s.id`,
    [metadata.tableName, metadata.primaryColumns[0].databaseName, count],
  );
  return rows.map((r) => r.id);
}

function presentColumns<T extends ObjectLiteral>(metadata: EntityMetadata, rows: Partial<T>[]): ColumnMetadata[] {
  const present = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (row[key] !== undefined) present.add(key);
  return metadata.columns.filter((c) => present.has(c.propertyName) && !c.isVirtual);
}

/** node-postgres turns a JS array into a PostgreSQL array, so a jsonb value is sent as JSON text. */
function toDatabaseValue(column: ColumnMetadata, value: unknown): unknown {
  if (column.transformer) value = ApplyValueTransformers.transformTo(column.transformer, value);
  if (value === null || value === undefined) return null;
  if (column.type === 'jsonb' || column.type === 'json') return JSON.stringify(value);
  return value;
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** UPDATE of one row by primary key, with the same jsonb typing cast as insertRows. */
export function updateRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, id: string, values: Partial<T>): Promise<unknown> {
  return manager.update(target, id, values as QueryDeepPartialEntity<T>);
}

/**
 * UPDATEs of many rows by primary key (a single-column key), each row setting the values given for
 * it: one statement per distinct set of columns instead of one round trip per row. The values go
 * as one JSON array read back through the table's own row type (jsonb_populate_recordset), so each
 * is typed as its column; the update date is stamped as manager.update stamps it.
 */
export async function updateRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, updates: ReadonlyMap<string, Partial<T>>): Promise<void> {
  if (updates.size === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const key = metadata.primaryColumns[0];
  const groups = new Map<string, { columns: ColumnMetadata[]; rows: Record<string, unknown>[] }>();
  for (const [id, values] of updates) {
    const columns = metadata.columns.filter((c) => values[c.propertyName] !== undefined && !c.isVirtual && !c.isPrimary);
    if (columns.length === 0) continue;
    const signature = columns.map((c) => c.databaseName).join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { columns, rows: [] }));
    const row: Record<string, unknown> = { [key.databaseName]: id };
    for (const column of columns) row[column.databaseName] = toJsonValue(column, values[column.propertyName]);
    group.rows.push(row);
  }
  const table = quoteName(metadata.tableName);
  const stamp = metadata.updateDateColumn ? [`${quoteName(metadata.updateDateColumn.databaseName)} = CURRENT_TIMESTAMP`] : [];
  for (const { columns, rows } of groups.values()) {
    const sets = [...columns.map((c) => `${quoteName(c.databaseName)} = r.${quoteName(c.databaseName)}`), ...stamp];
    await manager.query(
      `UPDATE ${table} t SET ${sets.join(', ')} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb) r WHERE t.${quoteName(key.databaseName)} = r.${quoteName(key.databaseName)}`,
      [JSON.stringify(rows)],
    );
  }
}

/** A value as JSON that PostgreSQL reads back as its column's type: a jsonb value stays a JSON value, not its text. */
function toJsonValue(column: ColumnMetadata, value: unknown): unknown {
  if (column.transformer) value = ApplyValueTransformers.transformTo(column.transformer, value);
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return value ?? null;
}

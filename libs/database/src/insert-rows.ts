import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** The primary key of each inserted row, in the order of the rows given. */
export interface InsertedRows { identifiers: Record<string, unknown>[] }

/** PostgreSQL's limit on the parameters of one statement. */
const MAX_PARAMETERS = 65_535;

/**
 * Multi-row INSERT of complete rows, written straight as SQL from the entity's metadata. Bulk
 * staging and merging insert millions of rows, and TypeORM's insert builder spent more time
 * escaping and merging parameter maps than PostgreSQL spent storing them. A property a row leaves
 * undefined takes the column's DEFAULT (generated keys, timestamps, empty jsonb).
 */
export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<InsertedRows> {
  if (rows.length === 0) return { identifiers: [] };
  const metadata = manager.connection.getMetadata(target);
  const present = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (row[key] !== undefined) present.add(key);
  const columns = metadata.columns.filter((c) => present.has(c.propertyName) && !c.isVirtual);
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

/** node-postgres turns a JS array into a PostgreSQL array, so a jsonb value is sent as JSON text. */
function toDatabaseValue(column: ColumnMetadata, value: unknown): unknown {
  if (column.transformer) value = ApplyValueTransformers.transformTo(column.transformer, value);
  if (value === null) return null;
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

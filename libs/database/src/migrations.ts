import { DataSource } from 'typeorm';

/** Applies pending migrations; returns the names applied. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** Reverts the last applied migration; returns false when there was none. */
export async function revertLast(dataSource: DataSource): Promise<boolean> {
  const before = await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'schema_migration'`);
  if (before[0].n === 0) return false;
  const rows = await dataSource.query('SELECT count(*)::int AS n FROM schema_migration');
  if (rows[0].n === 0) return false;
  await dataSource.undoLastMigration({ transaction: 'each' });
  return true;
}

export class SchemaBehindError extends Error {}

/** Refuses to serve against a database whose schema is older than the code. */
export async function assertSchemaCurrent(dataSource: DataSource): Promise<void> {
  if (await dataSource.showMigrations()) {
    throw new SchemaBehindError('the database schema is behind this version: run `npm run cli -- db migrate` first');
  }
}

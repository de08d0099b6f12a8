import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, revertLast } from '../../libs/database/src';
import { templateDatabase, withDatabase } from './global-setup';

export interface TestDatabase { url: string; name: string; drop(): Promise<void> }

/**
 * A database of its own for one test file, copied from the migrated template (fast, isolated),
 * and made the process's DATABASE_URL so the modules under test use it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.QC_TEST_ADMIN_URL ?? process.env.DATABASE_URL!;
  const name = `qc_test_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase()}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  process.env.QC_TEST_ADMIN_URL = adminUrl;
  process.env.DATABASE_URL = url;
  process.env.QC_QUEUE_PREFIX = name;
  return {
    url,
    name,
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A test database at the schema of before `migration`: every migration from it on is reverted. */
export async function databaseBefore(migration: string): Promise<{ database: TestDatabase; dataSource: DataSource }> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions(database.url));
  await dataSource.initialize();
  const applied = async () => (await dataSource.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [migration])).length > 0;
  while (await applied()) await revertLast(dataSource);
  return { database, dataSource };
}

import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate, revertLast } from '../libs/database/src';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { Client } from 'pg';

describe('migrations (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(database.url));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('leave the schema exactly as the entities describe it', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    // TypeORM always reports cast defaults ('{}'::jsonb, '[]'::jsonb, '{}'::text[]) as changed, even when equal.
    const realDifferences = pending.upQueries.map((q) => q.query).filter((q) => !/SET DEFAULT '(\{\}|\[\])'::(jsonb|text\[\])$/.test(q));
    expect(realDifferences).toEqual([]);
  });

  it('revert cleanly to an empty database and apply again', async () => {
    while (await revertLast(dataSource)) { /* revert every migration */ }
    const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migration'`);
    expect(tables).toEqual([]);
    expect((await migrate(dataSource)).length).toBeGreaterThan(0);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('enforce the division code format in the database itself', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await expect(client.query(`INSERT INTO division (code, name, short_name, name_key, level, provenance) VALUES ('15010', 'x', 'x', 'x', 'city', 'test')`))
      .rejects.toThrow(/ck_division_code/);
    await client.end();
  });
});

import { DataSource, QueryRunner } from 'typeorm';
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
    // TypeORM 0.3.31's schema reader (PostgresQueryRunner.loadTables) looks up every array and enum column at once on its
    // one connection, which pg 8.19+ deprecates: hand it a runner that sends them one after the other.
    const queued = oneQueryAtATime(dataSource.createQueryRunner());
    const createQueryRunner = jest.spyOn(dataSource, 'createQueryRunner').mockReturnValueOnce(queued);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    createQueryRunner.mockRestore();
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

/** The runner, its queries queued: each starts once the one before has settled. */
function oneQueryAtATime(runner: QueryRunner): QueryRunner {
  const send = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  let last: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: unknown[]) => {
    const result = last.then(() => send(...args));
    last = result.catch(() => undefined);
    return result;
  }) as QueryRunner['query'];
  return runner;
}

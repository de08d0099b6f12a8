import { DataSource, QueryRunner } from 'typeorm';
import { dataSourceOptions, migrate, Person, revertLast } from '../libs/database/src';
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

  it('turn per-field lineage objects into record slots and back (CompactLineageAndLeanerIndexes)', async () => {
    const lastApplied = async () => (await dataSource.query(`SELECT name FROM schema_migration ORDER BY id DESC LIMIT 1`))[0].name;
    const revertCompactLineageMigration = async () => {
      while (await lastApplied() !== 'CompactLineageAndLeanerIndexes1795590020000') await revertLast(dataSource);
      await revertLast(dataSource);
    };
    await revertCompactLineageMigration();
    const [batch] = await dataSource.query(`
      INSERT INTO import_batch (file_name, file_path, file_sha256, file_bytes, status, trigger) VALUES ('a.csv', '/a.csv', repeat('0', 64), 1, 'completed', 'cli') RETURNING id::text`);
    const [record] = await dataSource.query(`
      INSERT INTO source_record (batch_id, record_ref, status, raw, row_hash, header_no) VALUES ($1, 'A!2', 'accepted', '{}', repeat('1', 64), 1) RETURNING id::text`, [batch.id]);
    const lineage = { name: { sourceRecordId: record.id, batchId: batch.id, source: 'S3' }, phoneHmac: { sourceRecordId: record.id, batchId: batch.id, source: 'S1' } };
    const [person] = await dataSource.query(`INSERT INTO person (name, name_key, name_pinyin, lineage) VALUES ('王芳', '王芳', 'wang fang', $1) RETURNING id::text`, [lineage]);
    const [bare] = await dataSource.query(`INSERT INTO person (name, name_key, name_pinyin) VALUES ('李明', '李明', 'li ming') RETURNING id::text`);
    await dataSource.query(`INSERT INTO division (code, name, short_name, name_key, level, provenance, lineage) VALUES ('150105001019', 'x', 'x', 'x', 'community', 'import', $1)`,
      [{ households: { sourceRecordId: record.id, batchId: batch.id } }]);

    await migrate(dataSource);
    const [slots] = await dataSource.query(`SELECT lineage[1] >> 3 AS "nameRecord", lineage[1] & 7 AS "nameSource", lineage[2] AS gender, lineage[11] & 7 AS "phoneSource" FROM person WHERE id = $1`, [person.id]);
    expect(slots).toEqual({ nameRecord: record.id, nameSource: '3', gender: null, phoneSource: '1' });
    const persons = dataSource.getRepository(Person);
    expect((await persons.findOneByOrFail({ id: person.id })).lineage).toEqual({ name: { sourceRecordId: record.id, source: 'S3' }, phoneHmac: { sourceRecordId: record.id, source: 'S1' } });
    expect((await persons.findOneByOrFail({ id: bare.id })).lineage).toEqual({});

    await revertCompactLineageMigration();
    const back = await dataSource.query(`SELECT lineage FROM person WHERE id = ANY($1::uuid[]) ORDER BY name = '王芳' DESC`, [[person.id, bare.id]]);
    expect(back.map((p: { lineage: unknown }) => p.lineage)).toEqual([lineage, {}]);
    const [division] = await dataSource.query(`SELECT lineage FROM division WHERE code = '150105001019'`);
    expect(division.lineage).toEqual({ households: { sourceRecordId: record.id, batchId: batch.id } });
    await migrate(dataSource);
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

import { DataSource } from 'typeorm';
import { migrate, rawRow, revertLast } from '../libs/database/src';
import { databaseBefore, TestDatabase } from './support/test-database';

const MIGRATION = 'LeanSourceRecords1795590010000';

/** Rows as the version before stored them: JSON keyed by header, per sheet and in a CSV (sheet null). */
const OLD_ROWS: { sheet: string | null; ref: string; raw: Record<string, unknown> }[] = [
  { sheet: '名册', ref: '名册!2', raw: { 姓名: '张伟', 身份证号: '150105************', 备注: 'tab\there "q" \\ 😀' } },
  { sheet: '名册', ref: '名册!3', raw: { 姓名: '李娜', 'column 5': '多出来的' } },
  { sheet: '小区', ref: '小区!2', raw: { 小区名称: '航苑小区', 户数: 120 } },
  { sheet: null, ref: '2', raw: { 社区名称: '青城社区', members: 3 } },
  { sheet: null, ref: '3', raw: {} },
];

describe('migration LeanSourceRecords: raw rows of an older version become cells under one header per sheet', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let batchId: string;

  beforeAll(async () => {
    ({ database, dataSource } = await databaseBefore(MIGRATION));
    [{ id: batchId }] = await dataSource.query(`INSERT INTO import_batch (file_name, file_path, file_sha256, file_bytes, status, trigger)
      VALUES ('old.xlsx', 'old.xlsx', $1, 1, 'completed', 'test') RETURNING id::text`, ['0'.repeat(64)]);
    for (const [i, row] of OLD_ROWS.entries()) {
      await dataSource.query(`INSERT INTO source_record (batch_id, sheet, record_ref, status, raw, row_hash) VALUES ($1, $2, $3, 'accepted', $4, $5)`,
        [batchId, row.sheet, row.ref, JSON.stringify(row.raw), String(i).repeat(64)]);
    }
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  const stored = async () => {
    const rows: { ref: string; raw: string[]; headers: string[] }[] = await dataSource.query(`SELECT r.record_ref AS ref, r.raw, h.headers FROM source_record r
      JOIN source_header h ON h.batch_id = r.batch_id AND h.no = r.header_no ORDER BY r.id`);
    return rows;
  };
  const asText = (raw: Record<string, unknown>) => Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

  it('reads every old row back through rawRow as it was (values as text), with one header per sheet', async () => {
    expect(await migrate(dataSource)).toContain(MIGRATION);
    const rows = await stored();
    expect(rows.map((r) => [r.ref, rawRow(r.headers, r.raw)])).toEqual(OLD_ROWS.map((r) => [r.ref, asText(r.raw)]));
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM source_header WHERE batch_id = $1`, [batchId])).toEqual([{ n: 3 }]);
  });

  it('goes back to JSON keyed by header when reverted', async () => {
    while ((await dataSource.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [MIGRATION])).length > 0) await revertLast(dataSource);
    const rows: { ref: string; raw: Record<string, unknown> }[] = await dataSource.query(`SELECT record_ref AS ref, raw FROM source_record ORDER BY id`);
    expect(rows).toEqual(OLD_ROWS.map((r) => ({ ref: r.ref, raw: asText(r.raw) })));
    await migrate(dataSource);
  });
});

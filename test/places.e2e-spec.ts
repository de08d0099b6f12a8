import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { accountingAddsUp, ImportsService, ImportSummary } from '../libs/ingestion/src';
import { HEXI, WorkbookRow, writeS6, writeWorkbook, XINGKANG } from './support/fixtures';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

type Row = WorkbookRow;

const COMPOUND_HEADER = ['序号', '小区名称', '地址', '物业公司', '所属社区', '楼栋数', '户数', '建成年份'];
const COMPOUNDS: Row[] = [
  [1, '航苑小区（原老缸房小区）', '老缸房街12号', '日富物业', '河西', 8, 320, 1990],
  [2, '青松花园', '新华大街8号', '呼和浩特市福瑞物业管理有限责任公司', '河西', 5, 200, '2003年'],
  [3, '兴康小区', '人民路1号', '无', '兴康', 10, 500, 1995],
  [4, '惠民家园（原东街宿舍）', '东街5号', '', '河西', 2, 40, ''],
];
const BUILDING_HEADER = ['小区名称', '楼栋号', '单元数', '户数', '所属社区', '所属网格', '楼栋长', '楼栋长电话', '是否党员', '楼栋党小组'];
// Building 10 of 航苑 and building 3 of 青松花园, each in the spellings of several clerks, under the compound's names old and new and its address.
const BUILDINGS: Row[] = [
  ['航苑', '10号楼', 3, 36, '河西', '', '', '', '', ''],
  ['航苑小区', '第10栋', 3, 36, '河西', '', '', '', '', ''],
  ['老缸房小区', '１０号楼', 3, 36, '河西', '', '', '', '', ''],
  ['航苑小区', '10-号楼', 3, 36, '河西', '', '', '', '', ''],
  ['航苑小区', '十号楼', 3, 36, '河西', '', '', '', '', ''],
  ['老缸房街12号', '10#', 3, 36, '河西', '', '', '', '', ''],
  ['青松', '3#', 2, 24, '河西', '', '', '', '', ''],
  ['青松花园', '第三幢', 2, 24, '河西', '', '', '', '', ''],
  ['航苑小区', '10单元', 3, 36, '河西', '', '', '', '', ''],
];

describe('places by what they are: compound lists, building numbers, compound names (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let db: DataSource;
  let first: ImportSummary;

  const importFile = async (path: string) => {
    const imports = app.get(ImportsService);
    return imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);
  };
  const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params))[0].n as number;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    db = app.get<DataSource>(getDataSourceToken());
    expect((await importFile(writeS6([XINGKANG, HEXI]))).status).toBe('completed');
    // An older list knows 惠民家园 by its former name only.
    expect((await importFile(await writeWorkbook('楼栋2019.xlsx', [['楼栋', [BUILDING_HEADER, ['东街宿舍', '1号楼', 1, 12, '河西', '', '', '', '', '']]]]))).status).toBe('completed');
    first = await importFile(await writeWorkbook('网格化服务管理平台导出.xlsx', [
      ['小区信息', [COMPOUND_HEADER, ...COMPOUNDS]],
      ['楼栋', [BUILDING_HEADER, ...BUILDINGS]],
    ]));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('imports the compound list as compounds, and the accounting adds up', () => {
    expect(first).toMatchObject({ status: 'completed', rows: COMPOUNDS.length + BUILDINGS.length, accepted: COMPOUNDS.length + BUILDINGS.length - 1, rejected: 1 });
    expect(accountingAddsUp(first)).toBe(true);
  });

  it('creates no building and no party organization from a compound row', async () => {
    expect(await count(`SELECT count(*)::int AS n FROM party_organization`)).toBe(0);
    const linked: { sheet: string; type: string }[] = await db.query(`
      SELECT split_part(r.record_ref, '!', 1) AS sheet, l.entity_type AS type FROM source_record r JOIN record_link l ON l.source_record_id = r.id
       WHERE r.batch_id = $1 GROUP BY 1, 2 ORDER BY 1`, [first.batchId]);
    expect(linked).toEqual([{ sheet: '小区信息', type: 'compound' }, { sheet: '楼栋', type: 'building' }]);
  });

  it('links each compound to its community and to the property company serving it, with its address and year', async () => {
    const rows = await db.query(`
      SELECT k.community_code AS code, k.name_key AS key, k.address, k.built_year AS "builtYear", k.building_count AS "buildingCount",
             k.households, c.name AS company
        FROM compound k LEFT JOIN property_company c ON c.id = k.property_company_id ORDER BY k.community_code, k.name_key`);
    expect(rows).toEqual([
      { code: '150102004008', key: '惠民家园', address: '东街5号', builtYear: null, buildingCount: 2, households: 40, company: null },
      { code: '150102004008', key: '航苑', address: '老缸房街12号', builtYear: 1990, buildingCount: 8, households: 320, company: '日富物业' },
      { code: '150102004008', key: '青松花园', address: '新华大街8号', builtYear: 2003, buildingCount: 5, households: 200, company: '呼和浩特市福瑞物业管理有限责任公司' },
      { code: '150105001019', key: '兴康', address: '人民路1号', builtYear: 1995, buildingCount: 10, households: 500, company: null },
    ]);
  });

  it('resolves every spelling of a building number, and the compound under its old and new names, to one building', async () => {
    const buildings = await db.query(`SELECT k.name_key AS compound, b.number_key AS number FROM building b JOIN compound k ON k.id = b.compound_id ORDER BY 1, 2`);
    expect(buildings).toEqual([{ compound: '惠民家园', number: '1' }, { compound: '航苑', number: '10' }, { compound: '青松花园', number: '3' }]);
  });

  it('renames a compound known by its former name when a list gives both, and keeps the former to find it by', async () => {
    expect(await db.query(`SELECT name, former_name_keys AS former FROM compound WHERE name_key = '惠民家园'`)).toEqual([{ name: '惠民家园(原东街宿舍)', former: ['东街宿舍'] }]);
  });

  it('rejects a unit given as a building number, naming the value', async () => {
    const reasons: { ref: string; reason: string }[] = await db.query(`
      SELECT r.record_ref AS ref, j.reason FROM rejection j JOIN source_record r ON r.id = j.source_record_id WHERE r.batch_id = $1`, [first.batchId]);
    expect(reasons).toEqual([{ ref: '楼栋!10', reason: expect.stringContaining('10单元') }]);
  });

  it('changes nothing when the same list comes again in another file', async () => {
    const again = await importFile(await writeWorkbook('小区名录.xlsx', [['小区', [COMPOUND_HEADER, ...COMPOUNDS]]]));
    expect(again).toMatchObject({ status: 'completed', accepted: COMPOUNDS.length, created: 0, updated: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM compound`)).toBe(COMPOUNDS.length);
    expect(await count(`SELECT count(*)::int AS n FROM property_company`)).toBe(2);
  });
});

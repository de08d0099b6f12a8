import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DivisionStatsService } from '../libs/divisions/src';
import { ImportsService } from '../libs/ingestion/src';
import { WorkbookRow, writeS6, writeWorkbook, XINGKANG } from './support/fixtures';
import { validCitizenId, writeS1, XINGKANG_COMMITTEE as ORG } from './support/member-roster';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const XINGKANG_CODE = '150105001019';
type Row = WorkbookRow;

/** ledgerPhone: the roster has no phone for the householder; the ledger's 组织架构 gives it. */
interface Household { name: string; birth: string; seq: string; phone: string; home: string; ledgerPhone?: true }
// Seven central households of 兴康, as the city counts them; 张伟 has a namesake in the community living elsewhere.
const HOUSEHOLDS: Household[] = [
  { name: '杨丽君', birth: '19700101', seq: '121', phone: '15334710198', home: '建设小区3号楼2单元402' },
  { name: '鲍金山', birth: '19650202', seq: '131', phone: '13700341455', home: '建设小区1号楼2单元601' },
  { name: '高忠', birth: '19580303', seq: '151', phone: '18349138939', home: '建设小区9号楼6单元902' },
  { name: '胡勇', birth: '19720404', seq: '171', phone: '13153893372', home: '通道街132号院10号楼2单元101' },
  { name: '姚淑华', birth: '19600505', seq: '182', phone: '18899604542', home: '农大嘉园8号楼3单元401' },
  { name: '张伟', birth: '19750606', seq: '191', phone: '13903696754', home: '农大嘉园7号楼3单元1001' },
  { name: '廖振东', birth: '19690707', seq: '233', phone: '13847120365', home: '建设小区5号楼1单元302', ledgerPhone: true },
];

const member = (n: number, h: Household) =>
  `${n},${h.name},男,汉族,${h.birth.slice(0, 4)}-${h.birth.slice(4, 6)}-${h.birth.slice(6)},${validCitizenId('150105', h.birth, h.seq)},大学,正式党员,2000-07-01,2001-07-01,${ORG},${h.ledgerPhone ? '' : h.phone},,${h.home}`;

describe('central households named by the grid platform and the community ledger (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let db: DataSource;

  const importFile = async (path: string) => {
    const imports = app.get(ImportsService);
    const summary = await imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);
    expect({ file: path, status: summary.status, rejected: summary.rejected }).toEqual({ file: path, status: 'completed', rejected: 0 });
    return summary;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    db = app.get<DataSource>(getDataSourceToken());
    await importFile(writeS6([XINGKANG]));
    const namesake: Household = { name: '张伟', birth: '19880808', seq: '211', phone: '13512345678', home: '阳光小区2号楼1单元101' };
    await importFile(writeS1([...HOUSEHOLDS.map((h, i) => member(i + 1, h)), member(HOUSEHOLDS.length + 1, namesake)], '党员信息导出.csv'));
    // The ledger's 组织架构 names a household by its householder alone (no phone, or only in the organization
    // name), or with a phone the roster lacks.
    const title = '赛罕区人民路街道兴康社区党组织架构';
    await importFile(await writeWorkbook('赛罕区人民路街道兴康社区党建台账.xlsx', [['组织架构', [
      [title],
      ['序号', '组织层级', '组织名称', '上级组织', '书记（负责人）', '联系电话', '党员人数', '备注'],
      [1, '社区党委', '兴康社区党委', '人民路街道党工委', null, null, 7, null],
      ...HOUSEHOLDS.map((h, i): Row => [i + 2, '党员中心户', `党员中心户（${h.name}）`, '兴康社区党委', i === 0 ? null : h.name, h.ledgerPhone ? h.phone : null, null, '联系8户']),
    ]]]));
    // The grid platform names each with a phone and a home address, 张伟 without the phone.
    await importFile(await writeWorkbook('网格化服务管理平台导出.xlsx', [['党员中心户', [
      ['户主姓名', '联系电话', '住址', '所属社区', '所属网格', '联系户数'],
      ...HOUSEHOLDS.map((h): Row => [h.name, h.name === '张伟' ? null : h.phone, h.home, '兴康社区', '一网格', 8]),
    ]]]));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('counts each central household once', async () => {
    expect((await app.get(DivisionStatsService).stats(XINGKANG_CODE)).centralHouseholds).toBe(HOUSEHOLDS.length);
  });

  it('makes the householder the member the roster lists, never a second person', async () => {
    const holders: { name: string; birth: string | null }[] = await db.query(`
      SELECT DISTINCT p.name, to_char(p.birth_date, 'YYYYMMDD') AS birth FROM role_assignment r JOIN person p ON p.id = r.person_id
       WHERE r.role = 'central_household' ORDER BY 1`);
    expect(holders).toEqual(HOUSEHOLDS.map((h) => ({ name: h.name, birth: h.birth })).sort((a, b) => a.name.localeCompare(b.name)));
    expect((await db.query(`SELECT count(*)::int AS n FROM person`))[0].n).toBe(HOUSEHOLDS.length + 1);
  });

  it('leaves a bare name that two members of the organization share to the grid platform, and asks a reviewer', async () => {
    const tasks: { kind: string; summary: string }[] = await db.query(`SELECT kind, summary FROM review_task WHERE status = 'open'`);
    expect(tasks).toEqual([{ kind: 'conflict', summary: expect.stringMatching(/党员中心户.* 张伟 .*may be any of 2 persons/) }]);
  });
});

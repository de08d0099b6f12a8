import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import * as ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ImportsService } from '../libs/ingestion/src';
import { writeS6, XINGKANG } from './support/fixtures';
import { validCitizenId, writeS1, XINGKANG_COMMITTEE as ORG } from './support/member-roster';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const member = (n: number, name: string, birth: string, seq: string, residence: string) =>
  `${n},${name},男,汉族,${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)},${validCitizenId('150105', birth, seq)},大学,正式党员,2005-07-01,2006-07-01,${ORG},,,${residence}`;

/** S2's 楼栋 sheet: building leads named without a phone. */
async function writeBuildings(rows: [building: string, lead: string][]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-s2-')), '网格化服务管理平台导出.xlsx');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('楼栋');
  sheet.addRow(['小区名称', '楼栋号', '单元数', '户数', '所属社区', '所属网格', '楼栋长', '楼栋长电话', '是否党员', '楼栋党小组']);
  for (const [building, lead] of rows) sheet.addRow(['兴康小区', building, 2, 24, '兴康', '', lead, '', '', '']);
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('role holders named without a phone (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let db: DataSource;

  const importFile = async (path: string) => {
    const imports = app.get(ImportsService);
    return imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);
  };
  const leadOf = async (building: string): Promise<{ name: string; residence: string | null; id: string }[]> => db.query(`
    SELECT p.name, p.residence, p.id::text FROM role_assignment r JOIN building b ON b.id = r.building_id JOIN person p ON p.id = r.person_id
     WHERE r.role = 'building_lead' AND b.label = $1`, [building]);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    db = app.get<DataSource>(getDataSourceToken());
    expect((await importFile(writeS6([XINGKANG]))).status).toBe('completed');
    expect((await importFile(writeS1([
      member(1, '王建国', '19750304', '123', '兴康小区5号楼1单元101'),
      member(2, '张伟', '19800101', '131', '兴康小区1号楼2单元201'),
      member(3, '张伟', '19810202', '151', '兴康小区2号楼1单元102'),
      member(4, '李强', '19700303', '171', '兴康小区3号楼1单元301'),
      member(5, '李强', '19720404', '191', '兴康小区3号楼2单元402'),
      member(6, '苏和巴鲁', '19660606', '211', '兴康小区7号楼1单元501'),
    ], '党员信息导出.csv'))).status).toBe('completed');
    const s2 = await importFile(await writeBuildings([['5号楼', '王建国'], ['1号楼', '张伟'], ['3号楼', '李强'], ['6号楼', '赵六'], ['7号楼', '苏合巴鲁']]));
    expect(s2.status).toBe('completed');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("takes the community's one member of that name", async () => {
    expect(await leadOf('5号楼')).toEqual([expect.objectContaining({ name: '王建国', residence: '兴康小区5号楼1单元101' })]);
  });

  it('tells namesakes apart by the building they live in', async () => {
    expect(await leadOf('1号楼')).toEqual([expect.objectContaining({ name: '张伟', residence: '兴康小区1号楼2单元201' })]);
  });

  it('never guesses between namesakes of one building: a review task says why, and the role stays unassigned', async () => {
    expect(await leadOf('3号楼')).toEqual([]);
    const tasks: { kind: string; summary: string }[] = await db.query(`SELECT kind, summary FROM review_task WHERE status = 'open'`);
    expect(tasks).toEqual([{ kind: 'conflict', summary: expect.stringMatching(/楼栋长.*兴康小区3号楼 李强 .*may be any of 2 persons/) }]);
  });

  it('makes a person of a lead no one in the community is named like, as before', async () => {
    expect(await leadOf('6号楼')).toEqual([expect.objectContaining({ name: '赵六' })]);
    const persons = await db.query(`SELECT count(*)::int AS n FROM person`);
    expect(persons[0].n).toBe(7);
  });

  it('takes the one member whose name the lead is a transliteration of, and makes no second person', async () => {
    expect(await leadOf('7号楼')).toEqual([expect.objectContaining({ name: '苏和巴鲁', residence: '兴康小区7号楼1单元501' })]);
  });
});

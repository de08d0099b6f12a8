import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import * as ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Division, ImportBatch } from '../libs/database/src';
import { accountingAddsUp, ImportsService, ImportSummary } from '../libs/ingestion/src';
import { QualityReport } from '../libs/reports/src/quality.report';
import { ReportSources } from '../libs/reports/src/report-sources';
import { ReportRequest } from '../libs/reports/src';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * A district's workbook as it really comes: instructions first, the community sheet under header words
 * the product's vocabulary does not list (the community-worker count among them) with a column of no
 * use, a building sheet without its building numbers, and a hidden sheet of drop-down values. (Four
 * sheets: today's XLSX reader fails on some workbooks of five or more, which another change fixes.)
 */
async function districtWorkbook(): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const help = workbook.addWorksheet('填表说明');
  help.addRow(['填表说明']);
  help.addRow(['1. 社区代码填写12位统计用区划代码']);
  help.addRow(['2. 人数均填写整数']);
  const communities = workbook.addWorksheet('社区');
  communities.addRow(['行政区划编码（12位）', '社区居委会全称', '所在街道办', '户 籍 户 数', '常住人口总数', '社区专职工作者人数', '填报人']);
  communities.addRow(['150105001019', '兴康社区居委会', '人民路街道', 2758, 7061, 9, '王丽']);
  communities.addRow(['150102004008', '河西社区居委会', '东街街道', 3534, 8802, 11, '王丽']);
  const buildings = workbook.addWorksheet('楼栋情况');
  buildings.addRow(['小区名', '单元个数', '住户总数', '楼长名字']);
  buildings.addRow(['航苑小区', 6, 108, '吴旭']);
  buildings.addRow(['建设嘉园', 4, 64, '刘超']);
  const lookups = workbook.addWorksheet('下拉选项', { state: 'hidden' });
  lookups.addRow(['男', '女']);
  const path = join(mkdtempSync(join(tmpdir(), 'qc-sheets-')), '社区情况汇总.xlsx');
  await workbook.xlsx.writeFile(path);
  return path;
}

describe('every sheet and column of a workbook accounted for', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let dataSource: DataSource;
  let summary: ImportSummary;
  let workbook: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    dataSource = app.get<DataSource>(getDataSourceToken());
    const imports = app.get(ImportsService);
    workbook = await districtWorkbook();
    summary = await imports.waitFor((await imports.submit(workbook, 'test')).id, undefined, 50);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('imports the community sheet and passes over the others with a reason, without failing the file', () => {
    expect(summary).toMatchObject({ status: 'completed', sourceKind: 'S6', rows: 2, accepted: 2, rejected: 0, skipped: 0 });
    expect(accountingAddsUp(summary)).toBe(true);
    expect(summary.sheets.map((s) => [s.sheet, s.status, s.kind])).toEqual([
      ['填表说明', 'skipped', null],
      ['社区', 'imported', 'community-basics'],
      ['楼栋情况', 'refused', 'building'],
      ['下拉选项', 'skipped', null],
    ]);
    const [help, , buildings, lookups] = summary.sheets;
    expect(help.reason).toMatch(/^sheet 填表说明 holds no records/);
    expect(buildings.reason).toMatch(/cannot find the required column 楼栋号 \(buildingNo\).*小区名, 单元个数, 住户总数, 楼长名字; kinds considered: 楼栋 \(building\)/);
    expect(buildings.rows).toBe(2);
    expect([lookups.reason, lookups.rows]).toEqual(['sheet 下拉选项 holds no records: it is hidden: a hidden sheet holds lookups or drafts, not records to import', 1]);
  });

  it('lists the columns used and the one ignored, and the community-worker count reaches the communities', async () => {
    const sheet = summary.sheets[1];
    expect(sheet.used.map((c) => [c.header, c.field])).toEqual([
      ['行政区划编码（12位）', 'communityCode'],
      ['社区居委会全称', 'communityName'],
      ['所在街道办', 'subdistrict'],
      ['户 籍 户 数', 'households'],
      ['常住人口总数', 'residents'],
      ['社区专职工作者人数', 'fullTimeWorkers'],
    ]);
    expect(sheet.ignored).toEqual([{ header: '填报人', reason: expect.any(String), reasonCode: 'column-unknown', reasonParams: { label: '社区基本情况' } }]);
    expect(sheet.warnings).toEqual([expect.stringMatching(/^no column for 少数民族人口 \(minorityResidents\), 网格数 \(gridCount\), 楼栋数 \(buildingCount\), which a 社区基本情况 usually has$/)]);
    const xingkang = await dataSource.getRepository(Division).findOneByOrFail({ code: '150105001019' });
    expect(xingkang).toMatchObject({ households: 2758, residents: 7061, communityWorkers: 9 });
    const stored = await dataSource.getRepository(ImportBatch).findOneByOrFail({ id: summary.batchId });
    expect(stored.sheets).toEqual(summary.sheets);
  });

  it('gives the same account for the same file again, which changes nothing', async () => {
    const imports = app.get(ImportsService);
    const again = await imports.waitFor((await imports.submit(workbook, 'test')).id, undefined, 50);
    expect(again).toMatchObject({ status: 'unchanged', sheets: summary.sheets });
  });

  it('shows the same account in the quality report', async () => {
    const table = await new QualityReport(dataSource, new ReportSources(dataSource)).open({ scope: summary.batchId } as ReportRequest);
    const notes: string[] = [];
    for await (const row of table.rows) if (row.kind === 'detail') notes.push(String(row.cells[0]));
    expect(notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^工作表 填表说明：跳过（3 行未读取）— [^A-Za-z]+$/),
      expect.stringMatching(/^工作表 社区：社区基本情况，使用 6 列：.*社区专职工作者人数 → 专职社区工作者数/),
      expect.stringMatching(/^工作表 社区：未使用的列 填报人 — /),
      expect.stringMatching(/^工作表 楼栋情况：拒收（2 行未读取）— /),
    ]));
  });
});

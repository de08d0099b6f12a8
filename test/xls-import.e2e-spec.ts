import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImportBatch } from '../libs/database/src';
import { accountingAddsUp, ImportsService } from '../libs/ingestion/src';
import { OrganizationQuery } from '../libs/query/src';
import { xlsWorkbook } from '../libs/readers/src/testing/fixtures';
import { writeBytes } from './support/fixtures';
import { validCitizenId } from './support/member-roster';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** 兴康社区's ledger roster as an Excel 97-2003 file: each branch written once, merged down over its members. */
function xingkangRosterXls(): Buffer {
  const member = (name: string, gender: string, birth: string, sequence: string, branch: string | null) =>
    [name, gender, '汉族', new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}T00:00:00Z`), validCitizenId('150105', birth, sequence), branch, '正式党员'];
  return xlsWorkbook([{
    name: '党员花名册',
    rows: [
      ['赛罕区人民路街道兴康社区党员花名册（2023年）'],
      ['姓名', '性别', '民族', '出生日期', '身份证号', '所在党支部', '人员类别'],
      member('高志远', '男', '19700102', '011', '第一网格党支部'),
      member('韩雪梅', '女', '19720304', '022', null),
      member('陈国栋', '男', '19750506', '033', null),
      member('杜秀英', '女', '19800708', '044', '第二网格党支部'),
      member('吕文斌', '男', '19850910', '055', null),
    ],
    merges: ['A1:G1', 'F3:F5', 'F6:F7'],
  }]);
}

describe('a legacy .xls ledger imported end to end', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let imports: ImportsService;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    imports = app.get(ImportsService);
    dataSource = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('accepts every member, puts each in the branch merged over its row, and a re-import changes nothing', async () => {
    const file = writeBytes(xingkangRosterXls(), '兴康社区党建台账.xls');
    const summary = await imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50);
    expect(summary).toMatchObject({ status: 'completed', sourceKind: 'S3', rows: 5, accepted: 5, rejected: 0, skipped: 0 });
    expect(accountingAddsUp(summary)).toBe(true);
    expect(await dataSource.getRepository(ImportBatch).findOneByOrFail({ id: summary.batchId })).toMatchObject({ format: 'xls' });

    const orgs = await new OrganizationQuery(dataSource).list({ divisionCode: '150105001019', limit: 100 });
    const members = Object.fromEntries(orgs.items.filter((o) => o.members.total > 0).map((o) => [o.shortName, o.members.total]));
    expect(members).toEqual({ 第一网格党支部: 3, 第二网格党支部: 2 });

    const again = await imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50);
    expect(again).toMatchObject({ status: 'unchanged', rows: 5, created: 0, updated: 0 });
  });
});

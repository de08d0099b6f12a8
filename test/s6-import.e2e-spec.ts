import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChangeLog, Division, RecordLink } from '../libs/database/src';
import { accountingAddsUp, ImportsService } from '../libs/ingestion/src';
import { HEXI, writeBytes, writeS6, XINGKANG } from './support/fixtures';
import { startRegistry, Transport } from './support/registry-app';
import { IN_CI } from './support/services';
import { createTestDatabase, TestDatabase } from './support/test-database';

const transports: Transport[] = process.env.REDIS_URL || IN_CI ? ['in-process', 'bullmq'] : ['in-process'];

describe.each(transports)('S6 community basics import through %s jobs', (transport) => {
  let database: TestDatabase;
  let app: TestingModule;
  let imports: ImportsService;
  let dataSource: DataSource;

  const run = async (path: string) => imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry(transport);
    imports = app.get(ImportsService);
    dataSource = app.get<DataSource>(getDataSourceToken());
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('lands valid rows, rejects bad ones with row and column, and the counts add up', async () => {
    const file = writeS6([
      XINGKANG,
      '15010500101,坏代码社区,人民路街道,赛罕区,100,200,10,1,2,某人,1',
      '110105001019,朝阳某社区,某街道,朝阳区,100,200,10,1,2,某人,1',
      '合计,,,,9859,23605,4072,14,170,,24',
      HEXI,
      '150105001016,水文社区居委会,人民路街道,赛罕区,很多,7242,1081,5,51,韩超,9',
    ]);
    const summary = await run(file);
    expect(summary).toMatchObject({ status: 'completed', sourceKind: 'S6', rows: 6, accepted: 2, rejected: 3, skipped: 1, matched: 2, updated: 2 });
    expect(accountingAddsUp(summary)).toBe(true);

    const rejections = await imports.rejections(summary.batchId);
    expect(rejections.map((r) => [r.recordRef, r.columnName])).toEqual([['3', '社区代码'], ['4', '社区代码'], ['7', '户数']]);
    expect(rejections[1].reason).toContain('not in Hohhot');

    const xingkang = await dataSource.getRepository(Division).findOneByOrFail({ code: '150105001019' });
    expect(xingkang).toMatchObject({ households: 2758, residents: 7061, minorityResidents: 1735, communityWorkers: 7, reportedGrids: 5, reportedBuildings: 63 });
    const [households] = await dataSource.query(`SELECT batch_id::text AS "batchId" FROM source_record WHERE id = $1`, [xingkang.lineage.households.sourceRecordId]);
    expect(households.batchId).toBe(summary.batchId);
    const links = await dataSource.getRepository(RecordLink).countBy({ entityType: 'division', entityId: '150105001019' });
    expect(links).toBe(1);
  });

  it('says quickly that the same file again changes nothing', async () => {
    const file = writeS6([XINGKANG, HEXI], 'again.csv');
    const first = await run(file);
    const changesBefore = await dataSource.getRepository(ChangeLog).count();
    const second = await run(file);
    expect(second).toMatchObject({ status: 'unchanged', rows: first.rows, created: 0, updated: 0 });
    expect(await dataSource.getRepository(ChangeLog).count()).toBe(changesBefore);
  });

  it('applies a newer export: only what changed is updated and logged', async () => {
    await run(writeS6([XINGKANG, HEXI], 'v1.csv'));
    const before = await dataSource.getRepository(ChangeLog).count();
    const summary = await run(writeS6([XINGKANG.replace(',2758,', ',2760,'), HEXI], 'v2.csv'));
    expect(summary).toMatchObject({ status: 'completed', accepted: 2, matched: 2, updated: 1 });
    const changes = await dataSource.getRepository(ChangeLog).find({ where: {}, order: { seq: 'DESC' }, take: 1 });
    expect(await dataSource.getRepository(ChangeLog).count()).toBe(before + 1);
    expect(changes[0]).toMatchObject({ entityId: '150105001019', action: 'update', changes: { households: [2758, 2760] } });
  });

  it('refuses a file without the 社区代码 column, naming the headers it saw', async () => {
    const file = writeS6(['兴康社区居委会,人民路街道,赛罕区,2758'], 'no-code.csv', '社区名称,街道,区,户数');
    const summary = await run(file);
    expect(summary.status).toBe('refused');
    expect(summary.error).toContain('no-code.csv');
    expect(summary.error).toContain('社区代码');
    expect(summary.error).toContain('社区名称, 街道, 区, 户数');
    expect(summary.rows).toBe(0);
  });

  it('refuses binary data named .csv and UTF-16 text with a clear message', async () => {
    const binary = await run(writeBytes(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x00, 0x00, 0x7f, 0x00, 0x01]), 'binary.csv'));
    expect(binary.status).toBe('refused');
    expect(binary.error).toMatch(/binary\.csv.*not a text CSV|binary/);
    const utf16 = await run(writeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('社区代码,社区名称\r\n', 'utf16le')]), 'utf16.csv'));
    expect(utf16.status).toBe('refused');
    expect(utf16.error).toContain('utf16.csv');
  });
});

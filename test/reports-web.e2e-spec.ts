import { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { createApi } from '../apps/api/src/bootstrap';
import { ApiKeysService } from '../libs/auth/src';
import { DivisionStatsService } from '../libs/divisions/src';
import { STRUCTURE_FIGURES } from '../libs/reports/src';
import { importGeneratedCity } from './support/imported-city';
import { createTestDatabase, TestDatabase } from './support/test-database';

const XINGKANG = { district: '150105000000', street: '150105001000', community: '150105001019' };
/** Structure sheet: the community's row is row 4, its figures from column E. */
const FIRST_FIGURE_COLUMN = 5;

describe('the reports page in a browser', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let browser: BrowserContext;
  let dir: string;
  let base: string;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-reports-web-'));
    database = await createTestDatabase();
    await importGeneratedCity(join(dir, 'city'), { seed: 'e2e-all', members: 2500 });
    app = await createApi();
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    key = (await app.get(ApiKeysService).create('web-reader', ['registry:read'], 'test')).key;
    // A fresh profile (user data dir) per run: playwright takes it as the persistent context's folder.
    browser = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      acceptDownloads: true,
      viewport: { width: 1280, height: 1100 },
    });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a community\'s figures and chart after the key is entered, and downloads the same figures as a workbook', async () => {
    const expected = await app.get(DivisionStatsService).stats(XINGKANG.community);
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));

    await page.goto(`${base}/reports/`);
    await page.fill('#api-key', key);
    await page.click('#save-key');
    expect(await page.evaluate('sessionStorage.getItem("qc.apiKey")')).toBe(key);
    await page.waitForSelector(`#district option[value="${XINGKANG.district}"]`, { state: 'attached' });
    await page.selectOption('#report', 'structure');
    await page.selectOption('#district', XINGKANG.district);
    await page.waitForSelector(`#street option[value="${XINGKANG.street}"]`, { state: 'attached' });
    await page.selectOption('#street', XINGKANG.street);
    await page.waitForSelector(`#community option[value="${XINGKANG.community}"]`, { state: 'attached' });
    await page.selectOption('#community', XINGKANG.community);
    await page.click('#show');
    await page.waitForSelector('.figure[data-field="members"] .value');

    // Evaluated in the page (as text: this project compiles without the DOM types).
    const shown = await page.evaluate(`[...document.querySelectorAll('.figure')].map((b) => [b.dataset.field, b.querySelector('.value').dataset.value])`) as [string, string][];
    const onScreen = Object.fromEntries(shown.map(([field, value]) => [field, value === '' ? null : Number(value)]));
    expect(onScreen).toEqual(Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, expected[f.field]])));
    expect(await page.textContent('#title')).toBe('组织体系统计表');
    expect(await page.textContent('#subtitle')).toContain('兴康社区');

    const bars = await page.evaluate(`[...document.querySelectorAll('svg rect.bar')].map((r) => [r.dataset.field, Number(r.getAttribute('width'))])`) as [string, number][];
    expect(bars.length).toBeGreaterThanOrEqual(8);
    const widths = Object.fromEntries(bars) as Record<string, number>;
    expect(widths.members).toBeGreaterThan(widths.grids);
    expect(widths.buildings).toBeGreaterThan(0);

    await page.screenshot({ path: '/tmp/qc-reports-page.png', fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(`structure-${XINGKANG.community}.xlsx`);
    const file = join(dir, 'downloaded.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const row = workbook.worksheets[0].getRow(4);
    expect(row.getCell(4).value).toBe(XINGKANG.community);
    const inWorkbook = Object.fromEntries(STRUCTURE_FIGURES.map((f, i) => {
      const v = row.getCell(FIRST_FIGURE_COLUMN + i).value;
      return [f.field, v === null || v === undefined ? null : Number(v)];
    }));
    expect(inWorkbook).toEqual(Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, expected[f.field]])));
    expect(failures).toEqual([]);
    await page.close();
  }, 120_000);

  it('says so on the page when the key is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/reports/`);
    await page.fill('#api-key', 'not-a-key');
    await page.click('#save-key');
    await page.waitForSelector('#status.error');
    expect(await page.textContent('#status')).toContain('API key');
    await page.close();
  }, 60_000);
});

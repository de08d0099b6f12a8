import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import * as ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../libs/auth/src';
import { PROJECT_ROOT } from '../libs/config/src';
import { CITY_CODE, DivisionStats, DivisionStatsService, levelOfCode } from '../libs/divisions/src';
import { isReasonCode, Reason, reasonText } from '../libs/reasons/src';
import { ReportScheduler, STRUCTURE_FIGURES } from '../libs/reports/src';
import { importGeneratedCity } from './support/imported-city';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startApi } from './support/registry-app';

/** Figures the generator's truth states per community (the ones the structure report shows). */
const TRUTH_FIELDS = ['households', 'residents', 'grids', 'gridBranches', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds', 'organizations', 'members', 'fullMembers', 'probationaryMembers'] as const;
const XINGKANG = '150105001019';
/** Structure sheet: names in A–C, the division code in D, the figures from E on; data from row 4. */
const CODE_COLUMN = 4;
const FIRST_FIGURE_COLUMN = 5;
/** Under the table: an empty row, the data-source line and the sign-off block. */
const FOOTER_ROWS = 3;

type Figures = Partial<Record<keyof DivisionStats, number | null>>;

async function workbookOf(body: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  return workbook.worksheets[0];
}

/** Each row under the header as { code, figures }. */
function structureRows(sheet: ExcelJS.Worksheet): { code: string; figures: Figures }[] {
  const rows: { code: string; figures: Figures }[] = [];
  sheet.eachRow((row, n) => {
    if (n <= 3 || n > sheet.rowCount - FOOTER_ROWS) return;
    const figures: Figures = {};
    STRUCTURE_FIGURES.forEach((f, i) => {
      const v = row.getCell(FIRST_FIGURE_COLUMN + i).value;
      // 未导入 / 无数据 say why a figure is not there (README, Reports).
      figures[f.field] = v === null || v === undefined || v === '' || v === '未导入' || v === '无数据' ? null : Number(v);
    });
    rows.push({ code: String(row.getCell(CODE_COLUMN).value), figures });
  });
  return rows;
}

/** What the report should show for a division: its stats, with an unreported figure as blank or 0. */
function expectFigures(code: string, shown: Figures, stats: DivisionStats): void {
  const expected = Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, stats[f.field]]));
  const actual = Object.fromEntries(STRUCTURE_FIGURES.map((f) => [f.field, shown[f.field] ?? (f.percent ? null : 0)]));
  expect({ code, ...actual }).toEqual({ code, ...expected });
}

function allCells(sheet: ExcelJS.Worksheet): string[] {
  const cells: string[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
  return cells;
}

describe('reports on a generated city', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let stats: DivisionStatsService;
  let dir: string;
  let readerKey: string;
  let piiKey: string;
  let truth: { communities: Record<string, Record<string, number>>; city: { redPropertyBranches: number } };
  let fixtureIds: string[];

  const get = (url: string, key = readerKey, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-reports-'));
    database = await createTestDatabase();
    // The city test/all-sources.e2e-spec.ts checks the pipeline against: here the figures are the reports' to keep.
    await importGeneratedCity(dir, { seed: 'e2e-all', members: 2500 });
    truth = JSON.parse(readFileSync(join(dir, 'truth/stats.json'), 'utf8'));
    fixtureIds = (parse(readFileSync(join(dir, 'truth/persons.csv')), { columns: true }) as { id_number: string }[])
      .map((p) => p.id_number).filter((id) => /^\d{17}[\dX]$/i.test(id));
    app = await startApi();
    dataSource = app.get<DataSource>(getDataSourceToken());
    stats = app.get(DivisionStatsService);
    readerKey = (await app.get(ApiKeysService).create('reader', ['registry:read'], 'test')).key;
    piiKey = (await app.get(ApiKeysService).create('pii-reader', ['registry:read', 'registry:read-pii'], 'test')).key;
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every community with the figures of DivisionStatsService and of the truth, and subtotals that add up', async () => {
    const response = await get('/v1/reports/structure.xlsx?omitEmpty=false');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const sheet = await workbookOf(response.rawPayload);
    expect(sheet.getCell('A1').value).toBe('组织体系统计表');
    const rows = structureRows(sheet);

    const communities = rows.filter((r) => levelOfCode(r.code) === 'community');
    // Every community of the city is listed, those the generated city does not populate with what the registry knows of them.
    expect(communities.map((r) => r.code)).toEqual(expect.arrayContaining(Object.keys(truth.communities)));
    expect(communities).toHaveLength((await stats.stats(CITY_CODE)).communities);
    for (const row of rows) expectFigures(row.code, row.figures, await stats.stats(row.code));
    for (const row of communities.filter((c) => c.code in truth.communities)) {
      const expected = truth.communities[row.code];
      expect({ code: row.code, ...Object.fromEntries(TRUTH_FIELDS.map((f) => [f, row.figures[f] ?? 0])) })
        .toEqual({ code: row.code, ...Object.fromEntries(TRUTH_FIELDS.map((f) => [f, expected[f]])) });
    }

    // Every subtotal is the sum of the communities above it in its street or district, and the total of all.
    const totals = rows.filter((r) => levelOfCode(r.code) !== 'community');
    expect(totals.map((r) => levelOfCode(r.code))).toContain('street');
    expect(totals.map((r) => levelOfCode(r.code))).toContain('district');
    expect(totals[totals.length - 1].code).toBe(CITY_CODE);
    for (const total of totals) {
      const prefix = total.code.slice(0, { city: 4, district: 6, street: 9, community: 12 }[levelOfCode(total.code)]);
      const inside = communities.filter((c) => c.code.startsWith(prefix));
      for (const field of ['grids', 'buildings', 'members', 'fullMembers', 'probationaryMembers', 'organizations', 'households'] as const) {
        // A subtotal of communities none of which any import reached says 未导入 (read as null): nothing, as their sum.
        expect({ code: total.code, field, value: total.figures[field] ?? 0 }).toEqual({ code: total.code, field, value: inside.reduce((s, c) => s + (c.figures[field] ?? 0), 0) });
      }
    }
  }, 180_000);

  it('leaves out of the city\'s table, by default, the communities no import has data for, and says so', async () => {
    const response = await get('/v1/reports/structure.json');
    const body = response.json() as { subtitle: string; rows: { kind: string; cells: unknown[] }[]; sources: string };
    const listed = body.rows.filter((r) => r.kind === 'data').map((r) => String(r.cells[3]));
    expect(listed.sort()).toEqual(Object.keys(truth.communities).sort());
    expect(body.subtitle).toMatch(/另 \d+ 个尚无任何导入数据未列出/);
    expect(body.sources).toMatch(/^数据来源：S1 市党员信息管理系统：.*（\d{4}-\d{2}-\d{2} 导入）/);
  });

  it('lists the city\'s red-property branches, as many as the truth has', async () => {
    const response = await get('/v1/reports/red-property?format=json');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { columns: { header: string }[]; rows: { kind: string; cells: unknown[] }[] };
    const branches = body.rows.filter((r) => r.kind === 'data');
    expect(branches).toHaveLength(truth.city.redPropertyBranches);
    const column = (header: string) => body.columns.findIndex((c) => c.header === header);
    expect(branches.every((b) => /^[0-9A-Z]{18}$/.test(String(b.cells[column('统一社会信用代码')])))).toBe(true);
    expect(branches.filter((b) => b.cells[column('服务小区')]).length).toBeGreaterThan(0);
    expect(branches.filter((b) => b.cells[column('联合党组织')]).length).toBeGreaterThan(0);
  });

  it('masks every ID number in a roster for a key without read-pii', async () => {
    const response = await get('/v1/reports/roster.xlsx');
    expect(response.statusCode).toBe(200);
    const sheet = await workbookOf(response.rawPayload);
    expect(sheet.rowCount - 3 - FOOTER_ROWS).toBeGreaterThan(1000);
    const cells = allCells(sheet).join('\n');
    const leaked = fixtureIds.filter((id) => cells.includes(id) || cells.includes(id.toLowerCase()));
    expect(leaked).toEqual([]);
    expect(cells).toMatch(/^\d{6}\*{12}$/m);
    const birth = sheet.getRow(3).values as unknown[];
    const birthColumn = birth.indexOf('出生日期');
    const births: unknown[] = [];
    sheet.eachRow((row, n) => { if (n > 3 && n <= sheet.rowCount - FOOTER_ROWS) births.push(row.getCell(birthColumn).value); });
    expect(births.filter((b) => b !== null && b !== '无数据' && !/^\d{4}$/.test(String(b)))).toEqual([]);
  });

  it('shows ID numbers in clear with read-pii, and audits the roster once with its scope and size', async () => {
    const before = await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_type = 'roster'`);
    const response = await get(`/v1/reports/roster.xlsx?scope=${XINGKANG}`, piiKey);
    expect(response.statusCode).toBe(200);
    const sheet = await workbookOf(response.rawPayload);
    const cells = new Set(allCells(sheet));
    expect(fixtureIds.filter((id) => cells.has(id)).length).toBeGreaterThan(100);
    const members = (await stats.stats(XINGKANG)).members;
    expect(sheet.rowCount - 3 - FOOTER_ROWS).toBe(members);
    const audit = await dataSource.query(`SELECT actor, entity_id, fields, detail FROM audit_log WHERE entity_type = 'roster' ORDER BY id`);
    expect(audit.length - before[0].n).toBe(1);
    expect(audit[audit.length - 1]).toMatchObject({ actor: 'api-key:pii-reader', entity_id: XINGKANG, fields: ['idNumber', 'phone'] });
    expect(audit[audit.length - 1].detail.purpose).toContain(`${members} members`);
  });

  it('neutralises formula injection in CSV', async () => {
    const [org] = await dataSource.query(`SELECT o.id FROM party_organization o JOIN membership m ON m.organization_id = o.id WHERE o.division_code = $1 LIMIT 1`, [XINGKANG]);
    await dataSource.query(`UPDATE party_organization SET formal_name = '=HYPERLINK("http://evil","x")', short_name = '=HYPERLINK("http://evil","x")' WHERE id = $1`, [org.id]);
    const response = await get(`/v1/reports/roster?scope=${org.id}`, readerKey, { accept: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    const text = response.body;
    expect(text.startsWith('\uFEFF序号,')).toBe(true);
    const records: string[][] = parse(text.slice(1), { relax_column_count: true });
    const organizations = records.slice(1).map((r) => r[7]);
    expect(organizations.length).toBeGreaterThan(0);
    expect(organizations).toContain(`'=HYPERLINK("http://evil","x")`);
    expect(records.flat().some((cell) => /^[=+\-@\t]/.test(cell))).toBe(false);
  });

  it('reports the quality of every import: rows, outcomes, rejection reasons and duplicates removed', async () => {
    const response = await get('/v1/reports/quality?format=json');
    const body = response.json() as { rows: { kind: string; cells: unknown[] }[] };
    const batches: { file_name: string; rows_read: number; accepted: number; rejected: number; skipped: number; matched: number }[] =
      await dataSource.query('SELECT file_name, rows_read, accepted, rejected, skipped, matched FROM import_batch ORDER BY created_at, id');
    const data = body.rows.filter((r) => r.kind === 'data');
    expect(data.map((r) => [r.cells[0], r.cells[4], r.cells[5], r.cells[7], r.cells[8], r.cells[9]]))
      .toEqual(batches.map((b) => [b.file_name, b.rows_read, b.accepted, b.matched, b.rejected, b.skipped]));
    // The reasons under a file count its rejected rows (and file-level rejections) exactly.
    const rejections: { n: number }[] = await dataSource.query('SELECT count(*)::int AS n FROM rejection');
    const reasons = body.rows.filter((r) => r.kind === 'detail' && String(r.cells[0]).startsWith('拒绝：'));
    expect(reasons.reduce((s, r) => s + Number(r.cells[8]), 0)).toBe(rejections[0].n);
    // Grouped by wording, without the values: no ID number or phone, and each wording once under its file.
    expect(reasons.filter((r) => /\d{11,}/.test(String(r.cells[0])))).toEqual([]);
    const reasonsByFile = new Map<unknown, string[]>();
    let file: unknown = null;
    for (const r of body.rows) {
      if (r.kind === 'data') file = r.cells[0];
      else if (r.kind === 'detail' && String(r.cells[0]).startsWith('拒绝：')) reasonsByFile.set(file, [...(reasonsByFile.get(file) ?? []), String(r.cells[0])]);
    }
    for (const wordings of reasonsByFile.values()) expect(new Set(wordings).size).toBe(wordings.length);
    expect(data.some((r) => String(r.cells[11]).includes('人员'))).toBe(true);
    // Every reason stored has its code, and its English is what the catalogue makes of the code and its parameters.
    const stored: { reason: string; reason_code: string | null; reason_params: object | null }[] = await dataSource.query(
      'SELECT reason, reason_code, reason_params FROM rejection UNION SELECT reason, reason_code, reason_params FROM record_warning');
    expect(stored.length).toBeGreaterThan(1);
    expect(stored.filter((r) => r.reason_code === null || !isReasonCode(r.reason_code) || reasonText({ code: r.reason_code, params: r.reason_params } as Reason) !== r.reason))
      .toEqual([]);
    // So the report says each in Chinese, not in the English the importers store.
    const said = body.rows.filter((r) => r.kind === 'detail' && /^(拒绝|警告)：/.test(String(r.cells[0])));
    expect(said.length).toBeGreaterThan(1);
    expect(said.filter((r) => /[a-z]+ [a-z]+ [a-z]+/.test(String(r.cells[0])))).toEqual([]);
  });

  it('answers bad requests with a clear 4xx', async () => {
    expect((await get('/v1/reports/nonsense')).json()).toMatchObject({ code: expect.any(String), message: expect.stringContaining('no report "nonsense"') });
    expect((await get('/v1/reports/nonsense')).statusCode).toBe(404);
    expect((await get('/v1/reports/structure?scope=abc')).statusCode).toBe(400);
    expect((await get('/v1/reports/structure?scope=150199')).statusCode).toBe(404);
    expect((await get('/v1/reports/quality?scope=150105')).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/reports/structure' })).statusCode).toBe(401);
  });

  it('writes scheduled reports into their folder', async () => {
    const folder = join(dir, 'scheduled');
    const file = await app.get(ReportScheduler).generate({ report: 'structure', scope: XINGKANG, cron: '0 6 * * *', folder });
    expect(readdirSync(folder)).toEqual([file.split('/').pop()]);
    expect(file).toMatch(/structure-150105001019-\d{4}-\d{2}-\d{2}-\d{4}\.xlsx$/);
    const sheet = await workbookOf(readFileSync(file));
    expectFigures(XINGKANG, structureRows(sheet)[0].figures, await stats.stats(XINGKANG));
  });

  it('writes a report from the command line, with personal data only when asked and then audited', () => {
    const cli = (args: string[]) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, LOG_LEVEL: 'error' }, encoding: 'utf8', timeout: 120_000 });
    const csv = join(dir, 'roster.csv');
    const run = cli(['report', 'roster', '--scope', XINGKANG, '--out', csv, '--reveal-pii']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`to ${csv}`);
    expect(existsSync(csv)).toBe(true);
    const text = readFileSync(csv, 'utf8');
    expect(fixtureIds.some((id) => text.includes(id))).toBe(true);
    const bad = cli(['report', 'structure', '--out', join(dir, 'x.pdf')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--out must end in .xlsx or .csv or .json');
    return dataSource.query(`SELECT actor FROM audit_log WHERE entity_type = 'roster' AND actor LIKE 'cli:%'`).then((rows) => {
      expect(rows).toEqual([{ actor: `cli:${userInfo().username}` }]);
    });
  }, 240_000);
});

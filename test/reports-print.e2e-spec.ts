import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import * as ExcelJS from 'exceljs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../libs/auth/src';
import { SIGN_OFF_LABELS } from '../libs/reports/src';
import { displayWidth } from '../libs/reports/src/text-width';
import { importGeneratedCity } from './support/imported-city';
import { startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The reports as officials print them: each downloaded workbook, and the PDF LibreOffice makes of it. */
const REPORTS = {
  structure: '/v1/reports/structure.xlsx',
  'structure-district': '/v1/reports/structure.xlsx?scope=150105',
  'red-property': '/v1/reports/red-property.xlsx',
  roster: '/v1/reports/roster.xlsx',
  quality: '/v1/reports/quality.xlsx',
} as const;
type Printed = keyof typeof REPORTS;

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 28 });
  if (result.error) throw new Error(`${command} could not run (${result.error.message}); install libreoffice-calc, fonts-noto-cjk and poppler-utils (.ci/run does)`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

const squeeze = (text: string) => text.replace(/\s+/g, '');

/**
 * The printed text in the order LibreOffice drew it (pdftotext -raw: the lines of a wrapped cell
 * follow each other), spaces and line breaks left out. Text a cell cut off at its column's edge is
 * not in the PDF at all, so a name cut short is not in this text whole.
 */
function pdfText(pdf: string): string {
  return squeeze(run('pdftotext', ['-raw', pdf, '-']));
}

/** Texts that are not printed whole. */
function cutTexts(printed: string, texts: Iterable<string>): string[] {
  return [...new Set(texts)].filter((text) => !printed.includes(squeeze(text)));
}

/**
 * Cells whose text is wider than their column and does not wrap (a CJK character counts as two
 * columns, as in Excel's default CJK font): LibreOffice and Excel cut such text at the next filled cell.
 */
async function unwrappedOverflows(file: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  const overflows: string[] = [];
  sheet.eachRow((row, n) => {
    if (n < 3) return;
    row.eachCell((cell, c) => {
      // A merged cell (title, notes, sources, sign-off) wraps across the merge's width: the PDF checks show those whole.
      if (cell.isMerged || cell.alignment?.wrapText) return;
      const width = sheet.getColumn(c).width ?? 8.43;
      const text = typeof cell.value === 'number' ? cell.value.toLocaleString('en-US', { maximumFractionDigits: 2 }) : cell.value instanceof Date ? '2000-01-01' : String(cell.value ?? '');
      if (displayWidth(text) > width - 1) overflows.push(`${cell.address} "${text}" (${displayWidth(text)} > ${width - 1})`);
    });
  });
  return overflows;
}

describe('reports on paper (LibreOffice)', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let dir: string;
  const printed = {} as Record<Printed, string>;
  const workbooks = {} as Record<Printed, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-print-'));
    database = await createTestDatabase();
    await importGeneratedCity(join(dir, 'city'), { seed: 'print', members: 800 });
    app = await startApi();
    dataSource = app.get<DataSource>(getDataSourceToken());
    const key = (await app.get(ApiKeysService).create('printer', ['registry:read'], 'test')).key;
    const out = join(dir, 'printed');
    mkdirSync(out);
    for (const [name, url] of Object.entries(REPORTS) as [Printed, string][]) {
      const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      expect(response.statusCode).toBe(200);
      workbooks[name] = join(out, `${name}.xlsx`);
      writeFileSync(workbooks[name], response.rawPayload);
    }
    // A profile of its own: soffice refuses to start while another instance holds the user's profile.
    run('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...Object.values(workbooks)]);
    for (const name of Object.keys(REPORTS) as Printed[]) printed[name] = pdfText(join(out, `${name}.pdf`));
  }, 900_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every organization\'s formal name whole in the roster, with its branch', async () => {
    const organizations: { name: string }[] = await dataSource.query(`SELECT DISTINCT coalesce(o.formal_name, o.short_name) AS name
      FROM party_organization o JOIN membership m ON m.organization_id = o.id WHERE m.status = 'current'`);
    expect(organizations.filter((o) => /支部委员会$/.test(o.name)).length).toBeGreaterThan(0);
    expect(cutTexts(printed.roster, organizations.map((o) => o.name))).toEqual([]);
  });

  it('prints every red-property branch\'s name and company whole', async () => {
    const branches: { name: string; company: string | null }[] = await dataSource.query(`SELECT coalesce(o.formal_name, o.short_name) AS name, c.name AS company
      FROM party_organization o LEFT JOIN property_company c ON c.id = o.property_company_id WHERE 'red-property' = ANY(o.tags)`);
    expect(branches.length).toBeGreaterThan(0);
    expect(cutTexts(printed['red-property'], branches.flatMap((b) => [b.name, b.company ?? '无数据']))).toEqual([]);
  });

  it('prints the structure report\'s names whole, and the city\'s without the communities no import reached', async () => {
    const communities: { name: string; street: string; empty: boolean }[] = await dataSource.query(`SELECT c.name, s.name AS street,
      NOT EXISTS (SELECT 1 FROM party_organization o WHERE o.division_code = c.code) AND c.residents IS NULL AS empty
      FROM division c JOIN division s ON s.code = c.parent_code WHERE c.level = 'community' AND c.code LIKE '150105%'`);
    expect(cutTexts(printed['structure-district'], communities.flatMap((c) => [c.name, `${c.street} 小计`]))).toEqual([]);
    // A district lists its communities without data too, and says why their cells are empty.
    expect(printed['structure-district']).toContain('未导入');
    const cityPages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [workbooks.structure.replace(/xlsx$/, 'pdf')]))![1]);
    expect(cityPages).toBeLessThanOrEqual(2);
  });

  it('prints the quality report in Chinese: file names, sources S1–S6 and counts are the only Latin text', async () => {
    const files: { file_name: string }[] = await dataSource.query('SELECT DISTINCT file_name FROM import_batch');
    expect(cutTexts(printed.quality, files.map((f) => f.file_name))).toEqual([]);
    const withoutNames = files.map((f) => squeeze(f.file_name)).reduce((text, name) => text.split(name).join(''), printed.quality);
    expect(withoutNames.replace(/S[1-6](?![A-Za-z])/g, '').match(/[A-Za-z]{2,}.{0,30}/g) ?? []).toEqual([]);
  });

  it('prints the data-source line and the sign-off block under every report', () => {
    for (const name of Object.keys(REPORTS) as Printed[]) {
      const text = printed[name];
      expect({ name, missing: [...SIGN_OFF_LABELS, '数据来源'].filter((label) => !text.includes(`${label}：`)) }).toEqual({ name, missing: [] });
    }
  });

  it('lets no cell run past its column without wrapping', async () => {
    for (const name of Object.keys(REPORTS) as Printed[]) {
      expect({ name, overflows: (await unwrappedOverflows(workbooks[name])).slice(0, 10) }).toEqual({ name, overflows: [] });
    }
  });
});

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as iconv from 'iconv-lite';
import * as ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { generateCity } from '../generate';
import { isValidCitizenId } from '../checks';
import { transliterationVariant } from '../names';
import { DRIFT_INVALID } from './city';
import { COMPANY_DIRECTORY_SHEET, INSTRUCTIONS_SHEET } from './vocabulary';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qc-drift-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Row = (string | number | null)[];
const csv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
/** A cell as text without spaces, middle dots or full-width forms, to find a name however it is spelled. */
const plain = (v: unknown) => String(v ?? '').normalize('NFKC').replace(/[\s·•・.．]/g, '');

async function sheets(file: string): Promise<Map<string, Map<number, Row>>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = new Map<string, Map<number, Row>>();
  wb.eachSheet((ws) => {
    const rows = new Map<number, Row>();
    ws.eachRow((row, n) => rows.set(n, (row.values as Row).slice(1)));
    out.set(ws.name, rows);
  });
  return out;
}

/** Two IDs that differ in one digit, or in two adjacent digits swapped. */
function oneTypoApart(a: string, b: string): boolean {
  const diff = [...a].map((ch, i) => (ch === b[i] ? -1 : i)).filter((i) => i >= 0);
  if (diff.length === 1) return true;
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

describe('generateCity in drift mode', () => {
  const dir = path.join(tmp, 'a');
  let records: Record<string, string>[];
  let persons: Map<string, Record<string, string>>;

  beforeAll(async () => {
    await generateCity({ out: dir, seed: 'drift-spec', members: 1500, communities: 4, drift: true });
    records = csv(path.join(dir, 'truth/records.csv'));
    persons = new Map(csv(path.join(dir, 'truth/persons.csv')).map((p) => [p.truth_id, p]));
  });

  it('is deterministic, and leaves nothing of the base city behind', async () => {
    const again = path.join(tmp, 'b');
    await generateCity({ out: again, seed: 'drift-spec', members: 1500, communities: 4, drift: true });
    const list = (d: string) => fs.readdirSync(d, { recursive: true }).map(String).sort();
    expect(list(again)).toEqual(list(dir));
    for (const f of list(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile())) {
      expect({ f, same: fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(again, f))) }).toEqual({ f, same: true });
    }
    expect(list(dir).some((f) => f.startsWith('.base'))).toBe(false);
  });

  it('points every record at a row that holds it, and has no data row the truth does not know', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'truth/manifest.json'), 'utf8'));
    expect(manifest.drift).toBe(true);
    for (const { file, format, rows } of manifest.files as { file: string; format: string; rows: number }[]) {
      const mine = records.filter((r) => r.source_file === file);
      expect({ file, rows: mine.length }).toEqual({ file, rows });
      if (format !== 'xlsx') continue;
      const book = await sheets(path.join(dir, file));
      const bySheet = new Map<string, number[]>();
      for (const r of mine) {
        const [sheet, row] = r.record_ref.split('!');
        const cells = book.get(sheet)?.get(Number(row));
        expect({ ref: `${file} ${r.record_ref}`, exists: cells !== undefined }).toEqual({ ref: `${file} ${r.record_ref}`, exists: true });
        if (r.entity_type === 'person' && r.valid === '1') {
          const name = persons.get(r.truth_id)!.name;
          const spellings = [plain(name), plain(transliterationVariant(name))].filter(Boolean);
          const holds = cells!.some((v) => spellings.some((s) => plain(v).includes(s)));
          expect({ ref: r.record_ref, name, holds }).toEqual({ ref: r.record_ref, name, holds: true });
        }
        bySheet.set(sheet, [...(bySheet.get(sheet) ?? []), Number(row)]);
      }
      // Titles and headers come before the first record; nothing else is written between or after records.
      for (const [sheet, rows] of book) {
        const recorded = bySheet.get(sheet);
        if (!recorded) continue;
        const unknown = [...rows.keys()].filter((n) => n > Math.min(...recorded) && !recorded.includes(n));
        expect({ file, sheet, unknown }).toEqual({ file, sheet, unknown: [] });
      }
    }
  });

  it('types some IDs wrong, and the truth still says who the row is', () => {
    const s1 = parse(iconv.decode(fs.readFileSync(path.join(dir, '党员信息导出_20240301.csv')), 'gb18030'), { bom: true }) as string[][];
    const lines = records.filter((r) => r.source_file === '党员信息导出_20240301.csv');
    const typos = s1.slice(1).flatMap((row, i) => {
      const id = row.find((v) => /^\d{17}[\dXx]$/.test(v));
      const truth = lines[i];
      return id && !isValidCitizenId(id.toUpperCase()) && truth.valid === '1' ? [{ id, real: persons.get(truth.truth_id)!.id_number }] : [];
    });
    expect(typos.length).toBeGreaterThan(10);
    expect(typos.filter(({ id, real }) => !oneTypoApart(id.toUpperCase(), real) && id.slice(0, 17) !== real.slice(0, 17))).toEqual([]);
  });

  it('writes rows that carry a name alone, invalid, and counts them in the manifest', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'truth/manifest.json'), 'utf8'));
    const counted = (manifest.files as { invalid?: Record<string, number> }[]).reduce((n, f) => n + (f.invalid?.[DRIFT_INVALID.nameAlone] ?? 0), 0);
    expect(counted).toBeGreaterThan(0);
    expect(records.filter((r) => r.valid === '0').length).toBe((manifest.files as { rows: number; validRows: number }[]).reduce((n, f) => n + f.rows - f.validRows, 0));
  });

  it('lists every compound on a sheet of its own, and gives the red-property workbook its instructions and company list', async () => {
    const compounds = csv(path.join(dir, 'truth/entities.csv')).filter((e) => e.entity_type === 'compound');
    const listed = records.filter((r) => r.entity_type === 'compound');
    expect(listed.map((r) => r.truth_id).sort()).toEqual(compounds.map((c) => c.truth_id).sort());
    const s4 = await sheets(path.join(dir, '红色物业台账.xlsx'));
    expect([...s4.keys()]).toEqual([INSTRUCTIONS_SHEET, '2021年', '2022年', '2023年', COMPANY_DIRECTORY_SHEET]);
  });

  it('records what each column holds, and adds columns of no use', () => {
    const columns = JSON.parse(fs.readFileSync(path.join(dir, 'truth/columns.json'), 'utf8')) as Record<string, Record<string, { header: string; field: string | null }[]>>;
    const all = Object.values(columns).flatMap((bySheet) => Object.values(bySheet).flat());
    expect(all.some((c) => c.field === null)).toBe(true);
    expect(all.find((c) => c.field === 'workers')).toBeDefined();
  });
});

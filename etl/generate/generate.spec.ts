import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as iconv from 'iconv-lite';
import * as ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { generateCity, GenerationSummary } from './index';
import { isValidCitizenId, isValidUscc } from './checks';
import { FACT, XINGKANG } from './plan';

jest.setTimeout(60_000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qc-generate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Physical line on which each CSV record starts (header = 1), following quotes. */
function csvRecordLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (atStart && ch !== '\r' && ch !== '\n') {
      starts.push(line);
      atStart = false;
    }
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n') {
      line++;
      if (!inQuotes) atStart = true;
    }
  }
  return starts.slice(1); // drop the header
}

function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
}

async function xlsxDataRows(file: string): Promise<Map<string, number[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out = new Map<string, number[]>();
  wb.eachSheet((ws) => {
    const rows: number[] = [];
    ws.eachRow((row, n) => {
      const first = row.getCell(1).value;
      const isData = path.basename(file).startsWith('网格化') ? n > 1 : typeof first === 'number';
      if (isData) rows.push(n);
    });
    out.set(ws.name, rows);
  });
  return out;
}

describe('generateCity', () => {
  let a: GenerationSummary;
  const dirA = path.join(tmp, 'a');
  const dirB = path.join(tmp, 'b');
  const truth = (f: string) => path.join(dirA, 'truth', f);

  beforeAll(async () => {
    a = await generateCity({ out: dirA, seed: 7 });
    await generateCity({ out: dirB, seed: 7 });
  });

  it('is deterministic: the same seed gives the same bytes', () => {
    const list = (d: string) =>
      fs
        .readdirSync(d, { recursive: true })
        .map(String)
        .filter((f) => fs.statSync(path.join(d, f)).isFile())
        .sort();
    const files = list(dirA);
    expect(files).toEqual(list(dirB));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const x = fs.readFileSync(path.join(dirA, f));
      const y = fs.readFileSync(path.join(dirB, f));
      expect({ f, same: x.equals(y) }).toEqual({ f, same: true });
    }
  });

  it('another seed gives another city', async () => {
    const dirC = path.join(tmp, 'c');
    await generateCity({ out: dirC, seed: 8, only: 'S6' });
    const s6 = '社区基本情况统计表_2023.csv';
    expect(fs.readFileSync(path.join(dirC, s6)).equals(fs.readFileSync(path.join(dirA, s6)))).toBe(false);
  });

  it('makes the published facts true', () => {
    const stats = JSON.parse(fs.readFileSync(truth('stats.json'), 'utf8'));
    const xk = stats.communities[FACT.xingkang];
    expect(xk).toMatchObject({
      name: '兴康社区',
      households: XINGKANG.households,
      minorityShare: 0.2457,
      communityWorkers: 7,
      grids: 5,
      gridBranches: 3,
      buildings: 63,
      buildingLeads: 35,
      buildingGroups: 2,
      centralHouseholds: 6,
    });
    expect(xk.residents).toBeGreaterThan(7000);
    expect(xk.residents).toBeLessThan(7200);
    expect(stats.communities[FACT.sanshundian]).toMatchObject({ organizations: 13, members: 596 });
    expect(stats.city.redPropertyBranches).toBe(27);

    const orgs = readCsv(truth('orgs.csv'));
    const xkFunctional = orgs.filter((o) => o.community_code === FACT.xingkang && o.type === 'functional_branch');
    expect(xkFunctional.map((o) => o.name).sort()).toEqual(['兴康社区同心党支部', '兴康社区志愿服务党支部', '兴康社区文体曲艺党支部'].sort());
    const red = orgs.filter((o) => o.type === 'red_property_branch');
    expect(red).toHaveLength(27);
    const rifu = red.find((o) => o.name.includes('日富'))!;
    expect(rifu).toMatchObject({ community_code: FACT.hexi, members: '10', name: '呼和浩特市日富物业服务有限责任公司党支部' });
    const hexiCommittee = orgs.find((o) => o.community_code === FACT.hexi && o.type === 'community_committee')!;
    const joint = orgs.find((o) => o.type === 'joint' && o.name.startsWith('航苑小区'))!;
    expect(joint.parent_truth_id).toBe(hexiCommittee.truth_id);

    const entities = readCsv(truth('entities.csv'));
    const hangyuan = entities.find((e) => e.entity_type === 'compound' && e.name === '航苑小区')!;
    expect(hangyuan).toMatchObject({ community_code: FACT.hexi, code: '老缸房街12号' });
    const companies = entities.filter((e) => e.entity_type === 'property_company');
    expect(companies).toHaveLength(27);
    for (const c of companies) expect(isValidUscc(c.code)).toBe(true);
    expect(companies.find((c) => c.parent_truth_id === rifu.truth_id)!.name).toBe('呼和浩特市日富物业服务有限责任公司');
  });

  it('per-community stats agree with orgs.csv and persons.csv', () => {
    const stats = JSON.parse(fs.readFileSync(truth('stats.json'), 'utf8'));
    const orgs = readCsv(truth('orgs.csv'));
    const persons = readCsv(truth('persons.csv'));
    const orgCommunity = new Map(orgs.map((o) => [o.truth_id, o.community_code]));
    for (const [code, s] of Object.entries<Record<string, number>>(stats.communities)) {
      const mine = orgs.filter((o) => o.community_code === code);
      expect(s.organizations).toBe(mine.length);
      expect(s.members).toBe(mine.reduce((acc, o) => acc + Number(o.members), 0));
      const current = persons.filter((p) => p.org_truth_id && orgCommunity.get(p.org_truth_id) === code);
      expect(current.length).toBe(s.members);
      expect(current.filter((p) => p.category === 'full').length).toBe(s.fullMembers);
      expect(current.filter((p) => p.category === 'probationary').length).toBe(s.probationaryMembers);
      expect(s.fullMembers + s.probationaryMembers).toBe(s.members);
    }
    expect(a.members).toBe(3000);
  });

  it('invents valid people', () => {
    const persons = readCsv(truth('persons.csv'));
    const ids = new Set<string>();
    for (const p of persons) {
      expect(isValidCitizenId(p.id_number)).toBe(true);
      expect(ids.has(p.id_number)).toBe(false);
      ids.add(p.id_number);
      expect(p.id_number.slice(6, 14)).toBe(p.birth_date.replace(/-/g, ''));
      expect(Number(p.id_number[16]) % 2 === 1 ? 'M' : 'F').toBe(p.gender);
      expect(p.id_number.slice(0, 4)).toBe('1501');
      expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    expect(persons.some((p) => p.name.includes('·'))).toBe(true);
    const negatives = readCsv(truth('hard-negatives.csv'));
    expect(negatives.length).toBeGreaterThan(0);
    const byId = new Map(persons.map((p) => [p.truth_id, p]));
    for (const n of negatives) {
      const x = byId.get(n.truth_id_a)!;
      const y = byId.get(n.truth_id_b)!;
      expect(x.name).toBe(y.name);
      expect(x.id_number).not.toBe(y.id_number);
    }
  });

  it('records.csv has one line per data row of every file, and the manifest agrees', async () => {
    const records = readCsv(truth('records.csv'));
    const manifest = JSON.parse(fs.readFileSync(truth('manifest.json'), 'utf8'));
    const byFile = new Map<string, Record<string, string>[]>();
    for (const r of records) byFile.set(r.source_file, [...(byFile.get(r.source_file) ?? []), r]);
    expect([...byFile.keys()].sort()).toEqual(manifest.files.map((f: { file: string }) => f.file).sort());
    const known = new Set([
      ...readCsv(truth('persons.csv')).map((p) => p.truth_id),
      ...readCsv(truth('orgs.csv')).map((o) => o.truth_id),
      ...readCsv(truth('entities.csv')).map((e) => e.truth_id),
    ]);
    for (const f of manifest.files) {
      const recs = byFile.get(f.file)!;
      expect(recs.length).toBe(f.rows);
      expect(recs.filter((r) => r.valid === '1').length).toBe(f.validRows);
      for (const r of recs) expect(known.has(r.truth_id)).toBe(true);
      const full = path.join(dirA, f.file);
      if (f.format === 'csv') {
        const buf = fs.readFileSync(full);
        const text = f.encoding === 'gb18030' ? iconv.decode(buf, 'gb18030') : buf.toString('utf8');
        expect(recs.map((r) => Number(r.record_ref))).toEqual(csvRecordLines(text));
      } else if (f.format === 'json') {
        const nodes = JSON.parse(fs.readFileSync(full, 'utf8')) as { members: unknown[] }[];
        const refs: string[] = [];
        nodes.forEach((n, i) => {
          refs.push(`/${i}`);
          n.members.forEach((_, k) => refs.push(`/${i}/members/${k}`));
        });
        expect(recs.map((r) => r.record_ref)).toEqual(refs);
      } else {
        const rows = await xlsxDataRows(full);
        const expected: string[] = [];
        for (const [sheet, ns] of rows) for (const n of ns) expected.push(`${sheet}!${n}`);
        expect(recs.map((r) => r.record_ref).sort()).toEqual(expected.sort());
        expect(f.sheets).toEqual(Object.fromEntries([...rows].map(([s, ns]) => [s, ns.length])));
      }
    }
    const invalid = records.filter((r) => r.valid === '0');
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeLessThan(records.length * 0.01);
  });

  it('writes the quirks of each source', async () => {
    const s1 = iconv.decode(fs.readFileSync(path.join(dirA, '党员信息导出_20240301.csv')), 'gb18030');
    expect(s1).toContain('\r\n');
    expect(s1).toMatch(/中共呼和浩特市赛罕区人民路街道兴康社区第.网格支部委员会/);
    expect(s1).toMatch(/,\d{15},/); // legacy 15-digit IDs
    expect(s1).toContain('预备党员');
    const s6 = fs.readFileSync(path.join(dirA, '社区基本情况统计表_2023.csv'));
    expect(s6.subarray(0, 3).toString('hex')).toBe('efbbbf');
    expect(s6.toString('utf8')).toContain('150105001019,兴康社区居委会,人民路街道,赛罕区,2758,');
    const s5 = JSON.parse(fs.readFileSync(path.join(dirA, '智慧党建平台导出.json'), 'utf8'));
    expect(s5[0].members[0].idCard).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dirA, '红色物业台账.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['2021年', '2022年', '2023年']);
    const ledger = new ExcelJS.Workbook();
    await ledger.xlsx.readFile(path.join(dirA, '赛罕区人民路街道兴康社区党建台账.xlsx'));
    expect(ledger.worksheets.map((w) => w.name)).toEqual(['党员花名册', '组织架构']);
  });

  it('keeps memory bounded for 50,000 members', async () => {
    const dir = path.join(tmp, 'big');
    let peak = 0;
    const base = process.memoryUsage().heapUsed;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    const summary = await generateCity({ out: dir, seed: 1, members: 50_000, only: 'S1,S3,S5' });
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(summary.members).toBe(50_000);
    expect((peak - base) / 1048576).toBeLessThan(400);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

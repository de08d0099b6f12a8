import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ApiKeysService } from '../libs/auth/src';
import { ImportsService } from '../libs/ingestion/src';
import { generateCity } from '../etl/generate';
import { startApi, startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { importCityFiles } from './support/imported-city';

/** What an attacker must not narrow an ID number or a phone down to. */
const FEWEST_CANDIDATES = 1000;
const CHECK_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

interface Fixture { name: string; id_number: string; phone: string; birth_date: string }

/**
 * Rebuilds IDs and phones from everything fetched, as an attacker would: every object that names a
 * person (by name, or by an id that some object names) gives up the strings in it. The attacker is
 * granted perfect judgement: of what it gathered, it uses exactly the pieces that are true of the
 * fixture (ID characters at their positions, the birth date at the precision shown, phone digits).
 */
class Attacker {
  private readonly byName = new Map<string, Set<string>>();
  private readonly namesById = new Map<string, string>();

  constructor(private readonly names: Set<string>) {}

  learnIds(objects: unknown[]): void {
    for (const o of objects) walkObjects(o, (obj) => {
      const name = Object.values(obj).find((v): v is string => typeof v === 'string' && this.names.has(v));
      const id = obj.id ?? obj.entityId ?? obj.entity_id;
      if (name && typeof id === 'string') this.namesById.set(id, name);
    });
  }

  read(objects: unknown[]): void {
    for (const o of objects) walkObjects(o, (obj) => {
      const strings = stringsIn(obj);
      const named = new Set([...strings].filter((s) => this.names.has(s)));
      for (const s of strings) if (this.namesById.has(s)) named.add(this.namesById.get(s)!);
      if (named.size === 0 || named.size > 3) return; // a page or a container, not one person's record
      // A date shown at a coarser precision (birthPrecision 'year') says only its year or month.
      const precision = precisionIn(obj);
      const coarse = (s: string) => (!/^\d{4}-\d{2}-\d{2}$/.test(s) ? s : precision === 'year' ? s.slice(0, 4) : precision === 'month' ? s.slice(0, 7) : s);
      for (const name of named) {
        let gathered = this.byName.get(name);
        if (!gathered) this.byName.set(name, (gathered = new Set()));
        for (const s of strings) gathered.add(coarse(s));
      }
    });
  }

  idCandidates(f: Fixture, regions: number): number {
    const g = this.byName.get(f.name) ?? new Set<string>();
    const id = f.id_number.toUpperCase();
    const known: (string | null)[] = Array(18).fill(null);
    for (const s of g) {
      const v = s.toUpperCase();
      if (v.length === 18 && /^[0-9X*]+$/.test(v)) {
        if ([...v].every((c, i) => c === '*' || c === id[i])) [...v].forEach((c, i) => { if (c !== '*') known[i] = c; });
      } else if (/^\d{6,17}$/.test(v) && id.startsWith(v)) {
        [...v].forEach((c, i) => { known[i] = c; });
      }
    }
    const birth = f.birth_date;
    const precision = g.has(birth) ? 'day' : g.has(birth.slice(0, 7)) || g.has(birth.slice(0, 7).replace('-', '.')) ? 'month' : g.has(birth.slice(0, 4)) ? 'year' : 'none';
    const regionKnown = known.slice(0, 6).every((c) => c !== null);
    const dates = datesWithin(birth, precision).filter((d) => [...d].every((c, i) => known[6 + i] === null || known[6 + i] === c));
    const male = Number(id[16]) % 2 === 1; // gender is always shown
    const sequences: string[] = [];
    for (let n = male ? 1 : 0; n < 1000; n += 2) {
      const seq = String(n).padStart(3, '0');
      if ([...seq].every((c, i) => known[14 + i] === null || known[14 + i] === c)) sequences.push(seq);
    }
    const combos = dates.length * sequences.length * (regionKnown ? 1 : regions);
    if (known[17] === null) return combos;
    if (combos > 200_000) return combos / 11;
    let count = 0;
    for (const d of dates) for (const s of sequences) if (checkCharacter(`${id.slice(0, 6)}${d}${s}`) === known[17]) count++;
    return count * (regionKnown ? 1 : regions);
  }

  phoneCandidates(f: Fixture): number {
    const g = this.byName.get(f.name);
    const known = Array(11).fill(false);
    for (const s of g ?? []) {
      if (s.length === 11 && /^[0-9*]+$/.test(s) && [...s].every((c, i) => c === '*' || c === f.phone[i])) [...s].forEach((c, i) => { if (c !== '*') known[i] = true; });
    }
    return 10 ** known.filter((k) => !k).length;
  }
}

function walkObjects(value: unknown, visit: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) for (const v of value) walkObjects(v, visit);
  else if (value && typeof value === 'object') {
    visit(value as Record<string, unknown>);
    for (const v of Object.values(value)) walkObjects(v, visit);
  }
}

/** The coarsest birth-date precision a record states anywhere in it ('year', 'month'), as a field or a feed change. */
function precisionIn(value: unknown): string | undefined {
  let found: string | undefined;
  walkObjects(value, (o) => {
    for (const key of ['birthPrecision', 'birth_precision']) {
      const v = o[key];
      for (const p of Array.isArray(v) ? v : [v]) if (p === 'year' || (p === 'month' && found !== 'year')) found = p;
    }
  });
  return found;
}

/** Runs of ID or phone characters inside a text (an error message, a rejection reason, a file name). */
const EMBEDDED_RUNS = /[0-9Xx*]{6,18}/g;

/** Every string in a value, and the digit runs inside each. */
function stringsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    out.add(value);
    for (const run of value.match(EMBEDDED_RUNS) ?? []) out.add(run);
  } else if (typeof value === 'number') out.add(String(value));
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

function checkCharacter(first17: string): string {
  return '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * CHECK_WEIGHTS[i], 0) % 11];
}

/** The birth dates (YYYYMMDD) an attacker must try, knowing the true one at this precision. */
function datesWithin(iso: string, precision: 'day' | 'month' | 'year' | 'none'): string[] {
  const [y, m] = [Number(iso.slice(0, 4)), Number(iso.slice(5, 7))];
  const from = precision === 'none' ? Date.UTC(1920, 0, 1) : Date.UTC(y, precision === 'year' ? 0 : m - 1, precision === 'day' ? Number(iso.slice(8, 10)) : 1);
  const to = precision === 'none' ? Date.UTC(2010, 0, 1) : precision === 'year' ? Date.UTC(y + 1, 0, 1) : precision === 'month' ? Date.UTC(y, m, 1) : from + 86_400_000;
  const out: string[] = [];
  for (let t = from; t < to; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10).replace(/-/g, ''));
  return out;
}

/** Rows of a CSV or the first sheet of a workbook as objects of their cells. */
function rowsOf(cells: unknown[][]): Record<string, unknown>[] {
  return cells.map((row) => Object.fromEntries(Array.from(row, (v, i) => [`c${i}`, v === null || v === undefined ? null : String(v)])));
}

/** Rows of every table in a `pg_dump --data-only` as objects (JSON columns parsed). */
function dumpRows(dump: string): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  let columns: string[] | null = null;
  for (const line of dump.split('\n')) {
    const copy = /^COPY [^(]+\(([^)]*)\) FROM stdin;$/.exec(line);
    if (copy) { columns = copy[1].split(', ').map((c) => c.replace(/"/g, '')); continue; }
    if (!columns) continue;
    if (line === '\\.') { columns = null; continue; }
    const values = line.split('\t').map((v) => (v === '\\N' ? null : v.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\\\/g, '\\')));
    rows.push(Object.fromEntries(columns.map((c, i) => {
      const v = values[i];
      if (v && (v.startsWith('{') || v.startsWith('['))) { try { return [c, JSON.parse(v)]; } catch { return [c, v]; } }
      return [c, v];
    })));
  }
  return rows;
}

/**
 * Everything the database holds, as an attacker with a copy of it has it: `pg_dump --data-only`
 * when the pg_dump on PATH is of the server's major version (it refuses newer servers), else every
 * row of every table read through SQL.
 */
async function databaseRows(url: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const server = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) / 10000;
    let dumpMajor: number | null = null;
    try {
      dumpMajor = Number(/(\d+)\.\d+/.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
    } catch { /* no pg_dump on PATH */ }
    if (dumpMajor === Math.floor(server)) return dumpRows(execFileSync('pg_dump', ['--data-only', '--no-owner', url], { maxBuffer: 1 << 30 }).toString('utf8'));
    const tables = (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).rows;
    const rows: Record<string, unknown>[] = [];
    for (const { table_name: table } of tables) rows.push(...(await client.query(`SELECT row_to_json(t) AS row FROM "${table}" t`)).rows.map((r) => r.row));
    return rows;
  } finally {
    await client.end();
  }
}

describe('no ID number or phone can be rebuilt from what a registry:read key fetches, or from a database dump', () => {
  let dir: string;
  let database: TestDatabase;
  let registry: TestingModule;
  let api: NestFastifyApplication;
  let fixtures: Fixture[];
  let regions: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-rebuild-'));
    await generateCity({ out: dir, seed: 'rebuild', members: 300, communities: 2 });
    fixtures = (parse(readFileSync(join(dir, 'truth/persons.csv')), { columns: true }) as Fixture[]).filter((f) => /^\d{17}[\dX]$/i.test(f.id_number));
    regions = new Set(fixtures.map((f) => f.id_number.slice(0, 6))).size;
    database = await createTestDatabase();
    // The attacker reads every person one by one: far more than a minute's worth of the default limit.
    process.env.QC_RATE_LIMIT_PER_MINUTE = '1000000';
    registry = await startRegistry('in-process');
    api = await startApi();
    for (const [file, summary] of await importCityFiles(registry.get(ImportsService), dir)) {
      expect({ file, status: summary.status }).toEqual({ file, status: 'completed' });
    }
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await registry?.close();
    await database?.drop();
    delete process.env.QC_RATE_LIMIT_PER_MINUTE;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Fails naming the fixtures narrowed to fewer than `fewest` candidates; returns the fewest ID candidates any fixture has. */
  function expectNothingRebuilt(attacker: Attacker, fewest: number): number {
    const counted = fixtures.map((f) => ({ f, id: attacker.idCandidates(f, regions), phone: f.phone ? attacker.phoneCandidates(f) : Infinity }));
    const narrowed = counted.filter((r) => r.id < fewest || r.phone < fewest);
    expect({ narrowed: narrowed.length, of: fixtures.length, first: narrowed.slice(0, 5).map((r) => `${r.f.name}: ID ${Math.round(r.id)} candidates, phone ${r.phone}`) })
      .toEqual({ narrowed: 0, of: fixtures.length, first: [] });
    return Math.min(...counted.map((r) => r.id));
  }

  it('from every GET route, every page, every report format and the change feed, with a registry:read key', async () => {
    const key = (await api.get(ApiKeysService).create('reader', ['registry:read'], 'test')).key;
    const statuses = new Set<string>();
    const get = async (url: string) => {
      const res = await api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      statuses.add(res.statusCode === 200 ? '200' : `${res.statusCode} ${url.replace(/[?].*/, '').replace(/[0-9a-f-]{36}/g, ':id')}`);
      return res;
    };
    const fetched: unknown[] = [];
    const pages = async (path: string) => {
      const items: Record<string, unknown>[] = [];
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await get(`${path}${sep}limit=500${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`);
        if (res.statusCode !== 200) return items;
        const body = res.json();
        fetched.push(body);
        items.push(...(Array.isArray(body.items) ? body.items : []));
        cursor = body.hasMore === false ? null : body.nextCursor ?? null;
      }
      return items;
    };
    const document = (await api.inject({ method: 'GET', url: '/docs-json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const listed = new Map<string, Record<string, unknown>[]>();
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!('get' in operations) || path.includes('{') || path.startsWith('/v1/reports')) continue;
      // A route without paging is fetched once as it is: unknown parameters are refused.
      const paged = ((operations.get as { parameters?: { name: string }[] }).parameters ?? []).some((p) => p.name === 'limit');
      if (paged) listed.set(path, await pages(path));
      else fetched.push((await get(path)).json());
    }
    const ids = (path: string) => (listed.get(path) ?? []).map((i) => i.id as string);
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!('get' in operations) || !path.includes('{') || path.startsWith('/v1/reports')) continue;
      const collection = path.slice(0, path.indexOf('/{'));
      for (const id of path.includes('{code}') ? ['150105', '1501'] : ids(collection)) {
        const res = await get(path.replace(/\{[^}]+\}/, id));
        if (res.statusCode === 200) fetched.push(res.json());
      }
    }
    const names = ((await get('/v1/reports')).json() as { name: string }[]).map((r) => r.name);
    expect(names).toContain('roster');
    for (const name of names) {
      const json = await get(`/v1/reports/${name}?format=json`);
      fetched.push(json.json());
      const csv = await get(`/v1/reports/${name}?format=csv`);
      fetched.push(rowsOf(parse(csv.body, { relax_column_count: true, bom: true })));
      const xlsx = await get(`/v1/reports/${name}?format=xlsx`);
      const workbook = new Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cells: unknown[][] = [];
      workbook.worksheets[0].eachRow((row) => cells.push((row.values as unknown[]).slice(1)));
      fetched.push(rowsOf(cells));
    }
    expect(ids('/v1/persons').length).toBeGreaterThan(200);
    // Everything answered but the imports and inboxes, which need imports:read.
    expect([...statuses].sort()).toEqual(['200', '403 /v1/imports', '403 /v1/inboxes']);
    const attacker = new Attacker(new Set(fixtures.map((f) => f.name)));
    attacker.learnIds(fetched);
    attacker.read(fetched);
    // What the key sees does reach the attacker: the region and the birth year (365 days × 500 sequence numbers).
    expect(expectNothingRebuilt(attacker, FEWEST_CANDIDATES)).toBe(365 * 500);
  }, 600_000);

  it('from a pg_dump --data-only of the database (or every row of every table, without a matching pg_dump), without the encryption key', async () => {
    const rows = await databaseRows(database.url);
    expect(rows.length).toBeGreaterThan(1000);
    const attacker = new Attacker(new Set(fixtures.map((f) => f.name)));
    attacker.learnIds(rows);
    attacker.read(rows);
    // At rest the person keeps its birth date to the day and its gender (matching needs them), and
    // the masked ID its region: 1,000 sequence numbers ÷ 2 = 500 candidates are left, never fewer.
    expect(expectNothingRebuilt(attacker, 500)).toBe(500);
  });
});

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCity } from '../etl/generate';
import { ApiKeysService } from '../libs/auth/src';
import { ImportsService } from '../libs/ingestion/src';
import { LOGGER, Logger } from '../libs/logging/src';
import { withClient } from './faults/registry-snapshot';
import { startRegistry, startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { importCityFiles } from './support/imported-city';

/** Official codes first, as IT staff are told to import. */
/** Runs of digits long enough to hold a phone or an ID number (full-width digits folded first). */
const DIGIT_RUNS = /[0-9]{11,}[Xx]?/g;
const FULL_WIDTH = '０１２３４５６７８９Ｘｘ';
const HALF_WIDTH = '0123456789Xx';

/** Every clear form a fixture person's ID number or phone could take: 18 digits, the old 15, x or X. */
function clearForms(people: { id_number: string; phone: string }[]): Set<string> {
  const forms = new Set<string>();
  for (const { id_number: id, phone } of people) {
    if (/^\d{17}[\dX]$/i.test(id)) {
      forms.add(id.toUpperCase());
      forms.add(`${id.slice(0, 6)}${id.slice(8, 17)}`);
    }
    if (/^1\d{10}$/.test(phone)) forms.add(phone);
  }
  return forms;
}

/** The clear values of `forms` found in `text`, masked for the failure message. */
function leaksIn(text: string, forms: Set<string>): string[] {
  const found = new Set<string>();
  const folded = text.replace(/[０-９Ｘｘ]/g, (c) => HALF_WIDTH[FULL_WIDTH.indexOf(c)]);
  for (const run of folded.match(DIGIT_RUNS) ?? []) {
    const upper = run.toUpperCase();
    for (const length of [11, 15, 18]) {
      for (let i = 0; i + length <= upper.length; i++) {
        const candidate = upper.slice(i, i + length);
        if (forms.has(candidate)) found.add(`${candidate.slice(0, 3)}…${candidate.slice(-2)}`);
      }
    }
  }
  return [...found];
}

describe('personal data is never in clear in the logs or the database', () => {
  let dir: string;
  let logFile: string;
  let database: TestDatabase;
  let registry: TestingModule;
  let api: NestFastifyApplication;
  let forms: Set<string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-pii-'));
    logFile = join(dir, 'logs', 'qingcheng.log');
    process.env.QC_LOG_FILE = logFile;
    process.env.LOG_LEVEL = 'trace';
    await generateCity({ out: dir, seed: 'pii', members: 900, communities: 3 });
    const people = parse(readFileSync(join(dir, 'truth/persons.csv')), { columns: true }) as { id_number: string; phone: string }[];
    forms = clearForms(people);
    database = await createTestDatabase();
    registry = await startRegistry('in-process');
    api = await startApi();

    for (const [file, summary] of await importCityFiles(registry.get(ImportsService), dir)) {
      expect({ file, status: summary.status }).toEqual({ file, status: 'completed' });
    }
    await readEverything();
    // Logs are written asynchronously: flush both processes' loggers before reading the file.
    for (const logger of [registry.get<Logger>(LOGGER), api.get<Logger>(LOGGER)]) await new Promise<void>((resolve) => logger.flush(() => resolve()));
  }, 240_000);

  afterAll(async () => {
    await api?.close();
    await registry?.close();
    await database?.drop();
    delete process.env.QC_LOG_FILE;
    delete process.env.LOG_LEVEL;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every GET route of the API, with an admin key (clear personal data allowed) and a read key, plus searches by ID and phone. */
  async function readEverything(): Promise<void> {
    const keys = api.get(ApiKeysService);
    const admin = (await keys.create('admin', ['admin'], 'test')).key;
    const reader = (await keys.create('reader', ['registry:read'], 'test')).key;
    const ids = await withClient(database.url, async (client) => (await client.query(`
      SELECT id::text FROM person UNION ALL SELECT id::text FROM party_organization UNION ALL SELECT id::text FROM import_batch
      UNION ALL (SELECT id::text FROM grid LIMIT 3) UNION ALL (SELECT id::text FROM building LIMIT 3) UNION ALL (SELECT id::text FROM review_task LIMIT 3)`)).rows
      .map((r) => r.id as string).filter((_, i, all) => i % Math.ceil(all.length / 60) === 0));
    const document = (await api.inject({ method: 'GET', url: '/docs-json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const someId = [...forms].find((f) => f.length === 18)!;
    const somePhone = [...forms].find((f) => f.length === 11)!;
    const urls: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!('get' in operations)) continue;
      if (!path.includes('{')) urls.push(path, `${path}?q=${someId}`, `${path}?phone=${somePhone}`);
      else if (path.includes('{code}')) urls.push(path.replace('{code}', '150105001019'), path.replace('{code}', someId));
      else for (const id of ids) urls.push(path.replace(/\{[^}]+\}/g, id));
    }
    urls.push(`/v1/divisions/${someId}`, `/v1/persons/${someId}`, `/v1/persons/${somePhone}`);
    for (const url of urls) {
      for (const key of [admin, reader]) await api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    }
    // Lookups by ID number in a body, and a 401 that carries one.
    await api.inject({ method: 'POST', url: '/v1/persons/lookup', headers: { authorization: `Bearer ${admin}` }, payload: { idNumber: someId, phone: somePhone } });
    await api.inject({ method: 'GET', url: `/v1/persons?idNumber=${someId}`, headers: { authorization: `Bearer ${someId}` } });
  }

  it('finds the fixtures\' personal data where it is in clear: the source files', () => {
    expect(forms.size).toBeGreaterThan(1000);
    const manifest = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8')) as { files: { file: string; kind: string }[] };
    const s1 = manifest.files.find((f) => f.kind === 'S1')!;
    expect(leaksIn(readFileSync(join(dir, s1.file), 'latin1'), forms).length).toBeGreaterThan(500);
  });

  it('writes no clear ID number or phone to the log', () => {
    const log = readFileSync(logFile, 'utf8');
    // The log holds the imports' lines (each sheet's layout names its personal-data columns).
    expect(log).toContain('身份证号 → idNumber');
    expect(leaksIn(log, forms)).toEqual([]);
  });

  it('stores no clear ID number or phone in any text or JSON column of any table', async () => {
    const leaks = await withClient(database.url, async (client) => {
      const columns = (await client.query(`SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`)).rows;
      expect(columns.length).toBeGreaterThan(20);
      const found: string[] = [];
      for (const { table_name: table, column_name: column } of columns) {
        const runs = await client.query(`SELECT DISTINCT m[1] AS run FROM (SELECT translate("${column}"::text, $1, $2) AS v FROM "${table}") s,
          regexp_matches(s.v, '([0-9]{11,}[Xx]?)', 'g') AS m`, [FULL_WIDTH, HALF_WIDTH]);
        const hits = leaksIn(runs.rows.map((r) => r.run).join(' '), forms);
        if (hits.length > 0) found.push(`${table}.${column}: ${hits.length} (${hits.slice(0, 3).join(', ')})`);
      }
      return found;
    });
    expect(leaks).toEqual([]);
  });
});

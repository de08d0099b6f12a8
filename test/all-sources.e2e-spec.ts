import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { generateCity } from '../etl/generate';
import { CITY_CODE, DivisionStatsService } from '../libs/divisions/src';
import { accountingAddsUp, ImportsService, ImportSummary } from '../libs/ingestion/src';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** Files in the order IT staff are told to import them: official codes first. */
const KIND_ORDER = ['S6', 'S1', 'S3', 'S4', 'S2', 'S5'];
const STAT_FIELDS = ['households', 'residents', 'communityWorkers', 'grids', 'gridBranches', 'compounds', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds', 'organizations', 'members', 'fullMembers', 'probationaryMembers'] as const;

describe('a generated city in all six legacy formats', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let imports: ImportsService;
  let dataSource: DataSource;
  let dir: string;
  const summaries = new Map<string, ImportSummary>();
  let manifest: { files: { file: string; kind: string; rows: number; validRows: number }[] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-city-'));
    await generateCity({ out: dir, seed: 'e2e-all', members: 2500 });
    manifest = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    imports = app.get(ImportsService);
    dataSource = app.get<DataSource>(getDataSourceToken());
    const files = [...manifest.files].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    for (const f of files) summaries.set(f.file, await imports.waitFor((await imports.submit(join(dir, f.file), 'test')).id, undefined, 50));
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports every file with no configuration, and the counts add up', () => {
    for (const f of manifest.files) {
      const s = summaries.get(f.file)!;
      expect({ file: f.file, status: s.status, kind: s.sourceKind }).toEqual({ file: f.file, status: 'completed', kind: f.kind });
      expect(accountingAddsUp(s)).toBe(true);
      expect(s.rows - s.skipped).toBe(f.rows);
    }
  });

  it('accepts exactly the rows the truth calls valid and rejects the others with a reason', async () => {
    const truth: { source_file: string; record_ref: string; valid: string }[] = parse(readFileSync(join(dir, 'truth/records.csv')), { columns: true });
    const rows: { file_name: string; record_ref: string; status: string }[] = await dataSource.query(
      `SELECT b.file_name, r.record_ref, r.status FROM source_record r JOIN import_batch b ON b.id = r.batch_id WHERE r.status <> 'skipped'`);
    const status = new Map(rows.map((r) => [`${r.file_name}|${r.record_ref}`, r.status]));
    const wrong = truth.filter((t) => status.get(`${t.source_file}|${t.record_ref}`) !== (t.valid === '1' ? 'accepted' : 'rejected'));
    expect(wrong.slice(0, 5)).toEqual([]);
    const unexplained = await dataSource.query(`SELECT count(*)::int AS n FROM source_record r WHERE r.status = 'rejected' AND NOT EXISTS (SELECT 1 FROM rejection j WHERE j.source_record_id = r.id AND j.reason <> '')`);
    expect(unexplained[0].n).toBe(0);
  });

  it('shows every community with the figures of the ground truth, and the city its red-property branches', async () => {
    const truth = JSON.parse(readFileSync(join(dir, 'truth/stats.json'), 'utf8'));
    const stats = app.get(DivisionStatsService);
    for (const [code, expected] of Object.entries<Record<string, number>>(truth.communities)) {
      const actual = await stats.stats(code);
      const pick = (o: Record<string, unknown>) => Object.fromEntries(STAT_FIELDS.map((f) => [f, o[f]]));
      expect({ code, ...pick(actual as unknown as Record<string, unknown>) }).toEqual({ code, ...pick(expected) });
    }
    expect((await stats.stats(CITY_CODE)).redPropertyBranches).toBe(truth.city.redPropertyBranches);
  });

  it('changes nothing when every file is imported again', async () => {
    const changes = await dataSource.query('SELECT count(*)::int AS n FROM change_log');
    for (const f of manifest.files) {
      const again = await imports.waitFor((await imports.submit(join(dir, f.file), 'test')).id, undefined, 50);
      expect(again.status).toBe('unchanged');
    }
    expect(await dataSource.query('SELECT count(*)::int AS n FROM change_log')).toEqual(changes);
  });
});

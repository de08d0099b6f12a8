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
import { OrganizationQuery } from '../libs/query/src';
import { BatchRollbackService, CurationService } from '../libs/registry/src';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { importCityFiles } from './support/imported-city';

/** Files in the order IT staff are told to import them: official codes first. */
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
    for (const [file, summary] of await importCityFiles(imports, dir)) summaries.set(file, summary);
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

  it('links each joint organization to the red-property branches the ledger names in it, and shows them in the organization detail', async () => {
    // Every S4 row naming a joint organization: its branch takes part in that joint organization (three yearly sheets, one link).
    const named: { joint: string; branch: string }[] = await dataSource.query(`
      SELECT DISTINCT j.entity_id AS joint, s.entity_id AS branch FROM source_record r
        JOIN record_reference j ON j.source_record_id = r.id AND j.role = 'joint' JOIN record_link s ON s.source_record_id = r.id
       WHERE r.entity_type = 'red-property' ORDER BY 1, 2`);
    const links: { joint: string; branch: string; type: string; tags: string[] }[] = await dataSource.query(`
      SELECT l.joint_id::text AS joint, l.member_id::text AS branch, j.type, m.tags FROM joint_organization_member l
        JOIN party_organization j ON j.id = l.joint_id JOIN party_organization m ON m.id = l.member_id ORDER BY 1, 2`);
    expect(named.length).toBeGreaterThan(1);
    expect(links.map(({ joint, branch }) => ({ joint, branch }))).toEqual(named);
    for (const link of links) expect({ type: link.type, redProperty: link.tags.includes('red-property') }).toEqual({ type: 'joint', redProperty: true });
    const [hangyuan] = await dataSource.query(`SELECT id::text FROM party_organization WHERE short_name = '航苑小区四位一体联合党支部'`);
    const detail = await new OrganizationQuery(dataSource).get(hangyuan.id);
    expect(detail!.jointMembers.map((m) => m.shortName)).toEqual([expect.stringMatching(/日富物业.*党支部$/)]);
    const member = await new OrganizationQuery(dataSource).get(detail!.jointMembers[0].id);
    expect(member!.jointOrganizations).toEqual([{ id: hangyuan.id, shortName: '航苑小区四位一体联合党支部' }]);

    // A manual merge of the joint organization into another carries its links over; unmerge brings them back.
    const [other] = await dataSource.query(`SELECT id::text FROM party_organization WHERE type = 'joint' AND id <> $1 ORDER BY id LIMIT 1`, [hangyuan.id]);
    const curation = app.get(CurationService);
    const membersOf = async (id: string) => (await new OrganizationQuery(dataSource).get(id))!.jointMembers.map((m) => m.id);
    const otherMembers = await membersOf(other.id);
    await curation.merge('organization', { survivorId: other.id, mergedId: hangyuan.id, actor: 'tester' });
    expect((await membersOf(other.id)).sort()).toEqual([...otherMembers, member!.id].sort());
    await curation.unmerge('organization', hangyuan.id, 'tester');
    expect(await membersOf(hangyuan.id)).toEqual([member!.id]);
    expect(await membersOf(other.id)).toEqual(otherMembers);
  });

  it("resolves each red-property branch's secretary, named without a phone, to the branch's member of that name", async () => {
    const rows: { branch: string; named: string; holder: string | null; isMember: boolean }[] = await dataSource.query(`
      SELECT DISTINCT ON (s.entity_id) s.entity_id AS branch, r.payload->>'secretary' AS named, p.name AS holder,
             EXISTS (SELECT 1 FROM membership m WHERE m.person_id = p.id AND m.organization_id = s.entity_id::uuid AND m.status = 'current') AS "isMember"
        FROM source_record r JOIN import_batch b ON b.id = r.batch_id AND b.status = 'completed'
        JOIN record_link s ON s.source_record_id = r.id
        LEFT JOIN role_assignment a ON a.organization_id = s.entity_id::uuid AND a.role = 'secretary'
        LEFT JOIN person p ON p.id = a.person_id
       WHERE r.entity_type = 'red-property' AND r.payload->>'secretary' IS NOT NULL ORDER BY s.entity_id, r.id DESC`);
    expect(rows.length).toBe(27);
    expect(rows.filter((r) => r.holder !== r.named || !r.isMember)).toEqual([]);
    // A bare name never becomes a person of its own.
    const created = await dataSource.query(`
      SELECT count(*)::int AS n FROM change_log c JOIN import_batch b ON b.id = c.batch_id WHERE b.source_kind = 'S4' AND c.entity_type = 'person' AND c.action = 'create'`);
    expect(created[0].n).toBe(0);
  });

  it('changes nothing when every file is imported again', async () => {
    const changes = await dataSource.query('SELECT count(*)::int AS n FROM change_log');
    for (const f of manifest.files) {
      const again = await imports.waitFor((await imports.submit(join(dir, f.file), 'test')).id, undefined, 50);
      expect(again.status).toBe('unchanged');
    }
    expect(await dataSource.query('SELECT count(*)::int AS n FROM change_log')).toEqual(changes);
  });

  it('takes the joint-organization links and the secretaries back out when the red-property ledger is rolled back, and puts them back on re-import', async () => {
    const s4 = manifest.files.find((f) => f.kind === 'S4')!;
    const count = async () => (await dataSource.query(`
      SELECT (SELECT count(*) FROM joint_organization_member)::int AS links,
             (SELECT count(*) FROM role_assignment a JOIN party_organization o ON o.id = a.organization_id WHERE a.role = 'secretary' AND 'red-property' = ANY(o.tags))::int AS secretaries`))[0];
    const before = await count();
    const batchId = summaries.get(s4.file)!.batchId;
    const result = await app.get(BatchRollbackService).rollback(batchId, 'tester');
    expect(result.jointMembersRemoved).toBe(before.links);
    expect((await count()).links).toBe(0);
    const claimed = await dataSource.query(`SELECT count(*)::int AS n FROM role_assignment WHERE $1::uuid = ANY(batch_ids)`, [batchId]);
    expect(claimed[0].n).toBe(0);
    const again = await imports.waitFor((await imports.submit(join(dir, s4.file), 'test')).id, undefined, 50);
    expect(again.status).toBe('completed');
    expect(await count()).toEqual(before);
  }, 60_000);
});

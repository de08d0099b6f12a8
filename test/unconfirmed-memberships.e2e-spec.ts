import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchRollbackService, CurationService, demoteUnconfirmed, loadSurvivorship } from '../libs/registry/src';
import { validCitizenId, WANG_ID, writeS1, XINGKANG_COMMITTEE, XINGKANG_FOUR } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
const member = (userId: string, realName: string, sex: 1 | 2, mobile: string, id: string) =>
  ({ userId, realName, sex, mobile, idCard: masked(id), joinTime: Date.UTC(2001, 6, 1) });

// The retired app's tree: 兴康 (which the roster below covers) with a grid branch and a property
// company's branch under its committee, and 地北 (which the roster does not cover).
const APP_EXPORT = [
  { orgId: 'ORG100001', orgName: '兴康社区党委', orgType: '611', parentOrgId: 'STREET150105001', secretary: '', members: [
    member('U1', '王建国', 1, '13912345678', WANG_ID),
    member('U2', '周桂兰', 2, '13600000002', validCitizenId('150105', '19560302', '202')),
  ] },
  { orgId: 'ORG100002', orgName: '兴康社区一网格党支部', orgType: '631', parentOrgId: 'ORG100001', secretary: '', members: [
    member('U4', '钱卫东', 1, '13600000004', validCitizenId('150105', '19500811', '413')),
  ] },
  { orgId: 'ORG100003', orgName: '日富物业党支部', orgType: '631', parentOrgId: 'ORG100001', secretary: '', members: [
    member('U5', '郑红', 2, '13600000005', validCitizenId('150102', '19620415', '524')),
  ] },
  { orgId: 'ORG200001', orgName: '地北社区党委', orgType: '611', parentOrgId: 'STREET150105001', secretary: '', members: [
    member('U6', '吴海', 1, '13600000006', validCitizenId('150105', '19700101', '615')),
  ] },
];
const XINGKANG = '150105001019';
/** Members only the app lists, in 兴康: the roster leaves them out, so they left. */
const LEFT_XINGKANG = ['周桂兰', '郑红', '钱卫东'].sort();

function writeAppExport(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-s5-')), '智慧党建平台导出.json');
  writeFileSync(path, JSON.stringify(APP_EXPORT));
  return path;
}

describe('memberships only the retired app lists, where the member roster speaks (real PostgreSQL)', () => {
  const appExport = writeAppExport();
  const roster = writeS1(XINGKANG_FOUR, '党员信息导出_20240301.csv');
  // A newer roster of 兴康: one new member, everyone else as before.
  const newerRoster = writeS1([...XINGKANG_FOUR, `5,李明,男,汉族,1990-01-01,${validCitizenId('150105', '19900101', '789')},大学,预备党员,2023-07-01,,${XINGKANG_COMMITTEE},13600002222,,`], '党员信息导出_20240601.csv');

  /** Every membership as (person, organization's community, organization type, status). */
  const memberships = async (registry: RegistryUnderTest) => registry.db.query(`
    SELECT p.name, o.division_code AS community, o.type, m.status FROM membership m
      JOIN person p ON p.id = m.person_id JOIN party_organization o ON o.id = m.organization_id ORDER BY 1, 2, 3, 4`);
  /** The status of each named person's one membership. */
  const statusOf = async (registry: RegistryUnderTest, names: string[]) => Object.fromEntries(
    (await memberships(registry)).filter((m: { name: string }) => names.includes(m.name)).map((m: { name: string; status: string }) => [m.name, m.status]));
  const each = (names: string[], status: string) => Object.fromEntries(names.map((name) => [name, status]));
  /** The persons whose membership the rule demoted in this roster batch's name. */
  const demotedFor = async (registry: RegistryUnderTest, batchId: string) => (await registry.db.query(`
    SELECT p.name FROM change_log c JOIN membership m ON m.id::text = c.entity_id JOIN person p ON p.id = m.person_id
     WHERE c.entity_type = 'membership' AND c.actor = 'reconcile' AND c.batch_id = $1 AND c.changes->'status' = '["current", "former"]'`, [batchId]))
    .map((r: { name: string }) => r.name).sort();

  let appFirst: { afterApp: unknown[]; afterBoth: unknown[]; afterRollback: unknown[]; demoted: string[] };

  beforeAll(async () => {
    await RegistryUnderTest.using(async (registry) => {
      expect((await registry.importFile(appExport)).status).toBe('completed');
      const afterApp = await memberships(registry);
      const s1 = await registry.importFile(roster);
      expect(s1.status).toBe('completed');
      const afterBoth = await memberships(registry);
      const demoted = await demotedFor(registry, s1.batchId);
      await registry.app.get(BatchRollbackService).rollback(s1.batchId, 'tester');
      appFirst = { afterApp, afterBoth, afterRollback: await memberships(registry), demoted };
    });
  }, 180_000);

  it('gives the same memberships whichever of the two files comes first; rolled back, the roster leaves what the app alone made', async () => {
    await RegistryUnderTest.using(async (registry) => {
      expect((await registry.importFile(roster)).status).toBe('completed');
      expect((await registry.importFile(appExport)).status).toBe('completed');
      expect(await memberships(registry)).toEqual(appFirst.afterBoth);
    });
    const status = (name: string) => appFirst.afterBoth.filter((m) => (m as { name: string }).name === name).map((m) => (m as { status: string }).status);
    for (const name of LEFT_XINGKANG) expect({ name, status: status(name) }).toEqual({ name, status: ['former'] });
    expect(status('吴海')).toEqual(['current']);
    expect(status('王建国')).toEqual(['current']);
    expect(appFirst.demoted).toEqual(LEFT_XINGKANG);

    expect(appFirst.afterRollback).toEqual(appFirst.afterApp);
    expect(appFirst.afterApp.every((m) => (m as { status: string }).status === 'current')).toBe(true);
  }, 180_000);

  it('leaves things as they are on a re-import or a newer roster, and undoes the rule only when no roster covers the community any more', async () => {
    await RegistryUnderTest.using(async (registry) => {
      const first = await registry.importFile(roster);
      expect((await registry.importFile(appExport)).status).toBe('completed');
      // The app came second: the demotions still answer to the roster, so its rollback undoes them.
      expect(await demotedFor(registry, first.batchId)).toEqual(LEFT_XINGKANG);
      const settled = await memberships(registry);

      expect((await registry.importFile(roster)).status).toBe('unchanged');
      const newer = await registry.importFile(newerRoster);
      expect(newer.status).toBe('completed');
      expect((await memberships(registry)).filter((m: { name: string }) => m.name !== '李明')).toEqual(settled);
      expect(await demotedFor(registry, newer.batchId)).toEqual([]);

      // The newer roster still covers 兴康: rolling the first back keeps them former, now in the newer one's name.
      await registry.app.get(BatchRollbackService).rollback(first.batchId, 'tester');
      expect(await statusOf(registry, LEFT_XINGKANG)).toEqual(each(LEFT_XINGKANG, 'former'));
      expect(await demotedFor(registry, newer.batchId)).toEqual(LEFT_XINGKANG);
      await registry.app.get(BatchRollbackService).rollback(newer.batchId, 'tester');
      expect(await statusOf(registry, [...LEFT_XINGKANG, '吴海'])).toEqual(each([...LEFT_XINGKANG, '吴海'], 'current'));
    });
  }, 180_000);

  it('reads the rule again when curation moves memberships: merged into a covered community they are former, unmerged current again', async () => {
    await RegistryUnderTest.using(async (registry) => {
      expect((await registry.importFile(appExport)).status).toBe('completed');
      const s1 = await registry.importFile(roster);
      expect(await statusOf(registry, ['吴海'])).toEqual({ 吴海: 'current' });
      const committee = async (community: string) => (await registry.db.query(
        `SELECT id::text FROM party_organization WHERE division_code = $1 AND type = 'committee' ORDER BY created_at LIMIT 1`, [community]))[0].id;
      const diBei = await committee((await registry.db.query(`SELECT division_code AS code FROM party_organization WHERE short_name LIKE '地北%'`))[0].code);
      const curation = registry.app.get(CurationService);
      // 地北's committee is found to be 兴康's under another name: its one member now lies where the roster speaks.
      await curation.merge('organization', { survivorId: await committee(XINGKANG), mergedId: diBei, actor: 'tester' });
      expect(await statusOf(registry, ['吴海'])).toEqual({ 吴海: 'former' });
      expect(await demotedFor(registry, s1.batchId)).toEqual([...LEFT_XINGKANG, '吴海'].sort());
      await curation.unmerge('organization', diBei, 'tester');
      expect(await statusOf(registry, ['吴海'])).toEqual({ 吴海: 'current' });
    });
  }, 180_000);

  it('turns PostgreSQL\'s JIT off for its own statement only, leaving the transaction\'s setting as it was', async () => {
    await RegistryUnderTest.using(async (registry) => {
      const settings = await registry.db.transaction(async (manager) => {
        await manager.query('SET LOCAL jit = on');
        await demoteUnconfirmed(manager, loadSurvivorship(), { personIds: [] });
        const [{ jit }] = await manager.query(`SELECT current_setting('jit') AS jit`);
        await manager.query('SET LOCAL jit = off');
        await demoteUnconfirmed(manager, loadSurvivorship());
        const [{ jit: after }] = await manager.query(`SELECT current_setting('jit') AS jit`);
        return [jit, after];
      });
      expect(settings).toEqual(['on', 'off']);
    });
  });

  it('places an organization without a community of its own in the community of the organization it hangs below', async () => {
    await RegistryUnderTest.using(async (registry) => {
      expect((await registry.importFile(appExport)).status).toBe('completed');
      // As a company's branch is when no source named its community: only its parent places it.
      const [, cleared] = await registry.db.query(`
        UPDATE party_organization o SET division_code = NULL FROM party_organization p
         WHERE p.id = o.parent_id AND p.division_code = $1 AND o.short_name LIKE '日富物业%'`, [XINGKANG]);
      expect(cleared).toBe(1);
      expect((await registry.importFile(roster)).status).toBe('completed');
      expect(await statusOf(registry, ['郑红', '吴海'])).toEqual({ 郑红: 'former', 吴海: 'current' });
    });
  }, 180_000);
});

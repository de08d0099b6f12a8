import { ImportBatch } from '../libs/database/src';
import { BatchRollbackService } from '../libs/registry/src';
import { SUN_ID, validCitizenId, WANG_ID, writeS1, XINGKANG_COMMITTEE as ORG, XINGKANG_FOUR } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

const LI_ID = validCitizenId('150105', '19900101', '789');
const BRANCH = '中共呼和浩特市赛罕区兴康社区第一支部委员会';
const A = XINGKANG_FOUR;
// A newer export: 王建国's phone and 孙强's birth date changed, 孙强 moved to a new branch, two new members there.
const B = [
  `1,张丽华,女,汉族,1980-05-12,,大学,正式党员,2005-07-01,2006-07-01,${ORG},,兴康小学,`,
  `2,刘芳,女,汉族,1968-11-02,,高中,正式党员,1990-07-01,1991-07-01,${ORG},,退休,`,
  `3,王建国,男,汉族,1975-03-04,${WANG_ID},高中,正式党员,2001-07-01,2002-07-01,${ORG},13700009999,供电局,`,
  `4,孙强,男,汉族,1982-07-11,${SUN_ID},大学,正式党员,2008-07-01,2009-07-01,${BRANCH},13800001111,税务局,`,
  `5,李明,男,汉族,1990-01-01,${LI_ID},大学,预备党员,2023-07-01,,${BRANCH},13600002222,兴康社区,`,
  `6,赵刚,男,蒙古族,1985-02-03,,大专,正式党员,2010-07-01,2011-07-01,${BRANCH},,,`,
];

describe('batch rollback (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let adminKey: string;
  let importKey: string;
  const pathB = writeS1(B, '党员信息导出_2024.csv');

  const rollback = (id: string, key: string) => registry.app.inject({ method: 'POST', url: `/v1/imports/${id}/rollback`, headers: { authorization: `Bearer ${key}` } });
  /** The registry's canonical content, without ids, timestamps or lineage (which names batches). */
  const registryContent = async () => ({
    persons: await registry.db.query(`
      SELECT name, gender, birth_date::text, birth_precision, ethnicity_code, education, id_number_hmac, id_number_masked, id_digits, phone_hmac, phone_masked, workplace, residence
        FROM person ORDER BY name`),
    organizations: await registry.db.query(`
      SELECT o.formal_name, o.short_name, o.type, o.division_code, p.formal_name AS parent FROM party_organization o LEFT JOIN party_organization p ON p.id = o.parent_id ORDER BY o.formal_name`),
    memberships: await registry.db.query(`
      SELECT p.name, o.formal_name, m.status, m.category, m.joined_on::text, m.regularized_on::text
        FROM membership m JOIN person p ON p.id = m.person_id JOIN party_organization o ON o.id = m.organization_id ORDER BY p.name, o.formal_name`),
    roles: await registry.db.query(`SELECT p.name, r.role, r.organization_id, r.division_code FROM role_assignment r JOIN person p ON p.id = r.person_id ORDER BY p.name, r.role`),
  });
  const counts = async () => (await registry.db.query(`
    SELECT (SELECT count(*) FROM person)::int AS persons, (SELECT count(*) FROM party_organization)::int AS organizations,
           (SELECT count(*) FROM membership)::int AS memberships, (SELECT count(*) FROM role_assignment)::int AS roles,
           (SELECT count(*) FROM record_link_entry)::int AS links`))[0];

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    adminKey = await registry.key('admin', ['admin']);
    importKey = await registry.key('importer', ['imports:write']);
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('takes the registry back to what the earlier batch alone made, and a re-import gives the same registry again', async () => {
    expect((await registry.importFile(writeS1(A, '党员信息导出_2023.csv'))).status).toBe('completed');
    const afterA = await registryContent();
    const b = await registry.importFile(pathB);
    expect(b.status).toBe('completed');
    const withB = await registryContent();
    const countsWithB = await counts();
    // B really changed the registry: a new branch, two new members, a phone, a birth date, a move.
    expect(withB.persons.length).toBe(6);
    expect(withB.organizations.map((o: { formal_name: string }) => o.formal_name)).toContain(BRANCH);
    expect(withB.persons.find((p: { name: string }) => p.name === '孙强').birth_date).toBe('1982-07-11');
    expect(withB.persons.find((p: { name: string }) => p.name === '王建国').phone_hmac).not.toBe(afterA.persons.find((p: { name: string }) => p.name === '王建国').phone_hmac);
    // Two exports of one source disagree on 孙强's organization: the registry keeps the committee and asks a reviewer.
    expect(withB.memberships).toContainEqual(expect.objectContaining({ name: '孙强', formal_name: BRANCH, status: 'former' }));
    const openedByB = async () => (await registry.db.query(`SELECT count(*)::int AS n FROM review_task WHERE batch_id = $1 AND status = 'open'`, [b.batchId]))[0].n;
    expect(await openedByB()).toBe(1);

    const result = await registry.app.get(BatchRollbackService).rollback(b.batchId, 'tester');
    expect(result).toMatchObject({ rolledBack: true, deleted: { person: 2, organization: 1 }, reviewTasksWithdrawn: 1 });
    expect(await openedByB()).toBe(0);
    expect(result.restored.person).toBe(2);
    expect(await registryContent()).toEqual(afterA);
    // Persons are rebuilt with their lineage: every field now answers to batch A again.
    const lineageBatches: { batch: string }[] = await registry.db.query(
      `SELECT DISTINCT r.batch_id::text AS batch FROM person p CROSS JOIN unnest(p.lineage) e JOIN source_record r ON r.id = e >> 3`);
    expect(lineageBatches.length).toBeGreaterThan(0);
    expect(lineageBatches.map((r) => r.batch)).not.toContain(b.batchId);

    const feed: { entity_type: string; action: string; n: number }[] = await registry.db.query(`
      SELECT entity_type, action, count(*)::int AS n FROM change_log WHERE batch_id = $1 AND actor = 'rollback:tester' GROUP BY 1, 2 ORDER BY 1, 2`, [b.batchId]);
    expect(feed).toEqual(expect.arrayContaining([
      { entity_type: 'person', action: 'delete', n: 2 }, { entity_type: 'person', action: 'update', n: 2 },
      { entity_type: 'organization', action: 'delete', n: 1 },
    ]));
    expect(feed.find((f) => f.entity_type === 'membership' && f.action === 'delete')?.n).toBeGreaterThanOrEqual(3);
    // The feed never carries personal data in clear.
    const phones: { n: number }[] = await registry.db.query(`SELECT count(*)::int AS n FROM change_log WHERE changes::text LIKE '%13700009999%' OR changes::text LIKE '%${WANG_ID}%'`);
    expect(phones[0].n).toBe(0);

    const batch = await registry.db.getRepository(ImportBatch).findOneByOrFail({ id: b.batchId });
    expect({ status: batch.status, accepted: batch.accepted, by: batch.rolledBackBy }).toEqual({ status: 'rolled_back', accepted: 6, by: 'tester' });

    const again = await registry.app.get(BatchRollbackService).rollback(b.batchId, 'tester');
    expect(again).toMatchObject({ rolledBack: false, linksRemoved: 0 });
    expect(again.message).toMatch(/already rolled back/);
    expect(await registryContent()).toEqual(afterA);

    const reimport = await registry.importFile(pathB);
    expect(reimport).toMatchObject({ status: 'completed' });
    expect(reimport.batchId).not.toBe(b.batchId);
    expect(await counts()).toEqual(countsWithB);
    expect(await registryContent()).toEqual(withB);
  }, 120_000);

  it('POST /v1/imports/:id/rollback needs admin, refuses a running batch, and is a no-op the second time', async () => {
    const c = await registry.importFile(writeS1([`1,钱伟,男,汉族,1979-09-09,,大学,正式党员,2000-07-01,2001-07-01,${ORG},,,`], '党员信息导出_钱伟.csv'));
    expect(c.status).toBe('completed');
    expect((await rollback(c.batchId, importKey)).statusCode).toBe(403);
    expect((await rollback('not-a-batch', adminKey)).statusCode).toBe(404);

    const first = await rollback(c.batchId, adminKey);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ rolledBack: true, deleted: { person: 1 } });
    expect((await registry.db.query(`SELECT count(*)::int AS n FROM person WHERE name = '钱伟'`))[0].n).toBe(0);
    const second = await rollback(c.batchId, adminKey);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ rolledBack: false, message: expect.stringMatching(/already rolled back .* by api-key:admin/) });

    const running = await registry.db.getRepository(ImportBatch).save({ fileName: 'x.csv', filePath: '/nowhere/x.csv', fileSha256: 'f'.repeat(64), fileBytes: '1', status: 'staging', trigger: 'test' });
    const refused = await rollback(running.id, adminKey);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/still running/);
  }, 120_000);
});

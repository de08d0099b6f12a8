import { WANG_ID, writeS1, XINGKANG_COMMITTEE as ORG, XINGKANG_FOUR } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

const A = XINGKANG_FOUR;
// The same two women as other records describe them: no ID, no phone, no joining day; only a reviewer can say.
const B = [
  `1,张丽华,女,汉族,1980-05-12,,大学,正式党员,,,${ORG},,兴康中学,`,
  `2,刘芳,女,汉族,1968-11-02,,高中,正式党员,,,${ORG},,兴康社区,`,
];
// A masked ID showing 王建国's region and last digits, on someone else: never a merge on the digits alone.
const MASKED = `3,赵敏,女,汉族,,150105********${WANG_ID.slice(-4)},大学,正式党员,,,${ORG},,,`;

describe('review workflow, manual merge and unmerge, lineage (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let readKey: string;
  let piiKey: string;
  let reviewKey: string;

  const openTasks = async () => (await registry.db.query(`SELECT count(*)::int AS n FROM review_task WHERE status = 'open'`))[0].n;

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    readKey = await registry.key('reader', ['registry:read']);
    piiKey = await registry.key('pii-reader', ['registry:read', 'registry:read-pii']);
    reviewKey = await registry.key('reviewer', ['registry:read', 'review:write']);
    expect((await registry.importFile(writeS1(A, '党员信息导出_A.csv'))).status).toBe('completed');
    const b = await registry.importFile(writeS1(B, '党员信息导出_B.csv'));
    expect({ status: b.status, reviewPending: b.reviewPending }).toEqual({ status: 'completed', reviewPending: 2 });
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('lists open review tasks page by page', async () => {
    const first = await registry.call('GET', '/v1/review-tasks?status=open&entityType=person&limit=1', readKey);
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = (await registry.call('GET', `/v1/review-tasks?status=open&limit=1&after=${page1.nextCursor}`, readKey)).json();
    expect(page2.items).toHaveLength(1);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page2.nextCursor).toBeNull();
    expect((await registry.call('GET', '/v1/review-tasks?after=not-a-cursor', readKey)).statusCode).toBe(400);
  });

  it('shows a task with both sides and the evidence field by field', async () => {
    const [task] = (await registry.call('GET', '/v1/review-tasks?status=open&limit=100', readKey)).json().items.filter((t: { summary: string }) => t.summary.startsWith('张丽华'));
    const body = (await registry.call('GET', `/v1/review-tasks/${task.id}`, readKey)).json();
    expect(body.left).toMatchObject({ found: true, fields: { name: '张丽华', workplace: '兴康中学' } });
    expect(body.right).toMatchObject({ found: true, fields: { name: '张丽华', workplace: '兴康小学' } });
    const levels = Object.fromEntries(body.evidence.map((e: { field: string; level: string }) => [e.field, e.level]));
    expect(levels).toMatchObject({ name: 'exact', birthDate: 'exact', organization: 'same' });
    expect(body.evidence.every((e: { weight: number }) => typeof e.weight === 'number')).toBe(true);
    expect((await registry.call('GET', '/v1/review-tasks/00000000-0000-4000-8000-000000000000', readKey)).statusCode).toBe(404);
  });

  it('decides: keep-apart and merge are remembered when the records come again', async () => {
    const tasks = (await registry.call('GET', '/v1/review-tasks?status=open', readKey)).json().items;
    const zhang = tasks.find((t: { summary: string }) => t.summary.startsWith('张丽华'));
    const liu = tasks.find((t: { summary: string }) => t.summary.startsWith('刘芳'));
    expect((await registry.call('POST', `/v1/review-tasks/${zhang.id}/decision`, readKey, { decision: 'keep-apart' })).statusCode).toBe(403);
    expect((await registry.call('POST', `/v1/review-tasks/${zhang.id}/decision`, reviewKey, { decision: 'perhaps' })).statusCode).toBe(400);
    const kept = await registry.call('POST', `/v1/review-tasks/${zhang.id}/decision`, reviewKey, { decision: 'keep-apart', note: '两人，不同学校' });
    expect(kept.statusCode).toBe(200);
    expect(kept.json()).toMatchObject({ status: 'kept-apart', decidedBy: 'api-key:reviewer', note: '两人，不同学校' });
    const again = await registry.call('POST', `/v1/review-tasks/${zhang.id}/decision`, reviewKey, { decision: 'merge' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('conflict');
    expect((await registry.call('POST', `/v1/review-tasks/${liu.id}/decision`, reviewKey, { decision: 'merge' })).json()).toMatchObject({ status: 'merged' });
    expect(await registry.personsNamed('张丽华')).toHaveLength(2);
    expect(await registry.personsNamed('刘芳')).toEqual([liu.rightId]);

    // B again, in a newer export with one more row: no new question, and the answers stand.
    const reimport = await registry.importFile(writeS1([...B, `3,周平,男,汉族,1990-01-01,,大学,预备党员,,,${ORG},,,`], '党员信息导出_B2.csv'));
    expect({ status: reimport.status, reviewPending: reimport.reviewPending }).toEqual({ status: 'completed', reviewPending: 0 });
    expect(await openTasks()).toBe(0);
    expect(await registry.personsNamed('张丽华')).toEqual([zhang.rightId, zhang.leftId]);
    expect(await registry.personsNamed('刘芳')).toEqual([liu.rightId]);
  }, 60_000);

  it('explains a merged person: its records, field lineage, the merge and the decision', async () => {
    const [liu] = await registry.personsNamed('刘芳');
    const merge = (await registry.db.query(`SELECT merged_id FROM entity_merge WHERE survivor_id = $1`, [liu]))[0];
    const response = await registry.call('GET', `/v1/persons/${merge.merged_id}/lineage`, readKey);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.mergedInto).toBe(liu);
    expect(body.records.map((r: { file: string }) => r.file).sort()).toEqual(['党员信息导出_A.csv', '党员信息导出_B.csv', '党员信息导出_B2.csv']);
    expect(body.fields.name).toMatchObject({ file: '党员信息导出_A.csv', source: 'S1' });
    expect(body.merges).toEqual([expect.objectContaining({ survivorId: liu, mergedId: merge.merged_id, reviewTaskId: expect.any(String), unmergedAt: null })]);
    expect(body.reviews).toEqual([expect.objectContaining({ status: 'merged', kind: 'possible-duplicate' })]);
    expect((await registry.call('GET', '/v1/persons/not-a-uuid/lineage', readKey)).statusCode).toBe(400);
  });

  it('masks personal data in lineage unless the key may read it, and audits a clear read', async () => {
    const [wang] = await registry.personsNamed('王建国');
    expect((await registry.call('GET', `/v1/persons/${wang}/lineage`, readKey)).json().subject).toMatchObject({ idNumber: expect.stringContaining('*'), phone: expect.stringContaining('*') });
    expect((await registry.call('GET', `/v1/persons/${wang}/lineage`, piiKey)).json().subject).toMatchObject({ idNumber: WANG_ID, phone: '13912345678' });
    expect((await registry.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'read-pii'`, [wang]))[0].n).toBe(1);
  });

  it('merges two persons by hand and unmerges them back exactly', async () => {
    const [survivor, merged] = await registry.personsNamed('张丽华');
    const before = { survivor: await registry.personSnapshot(survivor), merged: await registry.personSnapshot(merged) };
    const merge = await registry.call('POST', '/v1/persons/merge', reviewKey, { survivorId: survivor, mergedId: merged, note: 'same person after all' });
    expect(merge.statusCode).toBe(200);
    expect(merge.json()).toMatchObject({ survivorId: survivor, mergedId: merged, moved: { links: before.merged.links.length } });
    expect(await registry.personsNamed('张丽华')).toEqual([survivor]);
    const joined = await registry.personSnapshot(survivor);
    expect(joined.links).toHaveLength(before.survivor.links.length + before.merged.links.length);
    expect((await registry.call('GET', `/v1/persons/${merged}/lineage`, readKey)).json().mergedInto).toBe(survivor);
    expect((await registry.call('POST', '/v1/persons/merge', reviewKey, { survivorId: survivor, mergedId: merged })).statusCode).toBe(409);

    const unmerge = await registry.call('POST', `/v1/persons/${merged}/unmerge`, reviewKey);
    expect(unmerge.statusCode).toBe(200);
    expect({ survivor: await registry.personSnapshot(survivor), merged: await registry.personSnapshot(merged) }).toEqual(before);
    expect((await registry.call('POST', `/v1/persons/${merged}/unmerge`, reviewKey)).statusCode).toBe(409);
    const feed = await registry.db.query(`SELECT action, entity_id FROM change_log WHERE action IN ('merge', 'unmerge') AND entity_type = 'person' AND entity_id IN ($1, $2) ORDER BY seq`, [survivor, merged]);
    expect(feed.map((f: { action: string; entity_id: string }) => [f.action, f.entity_id])).toEqual([['merge', survivor], ['unmerge', merged]]);
  });

  it('never merges on a masked ID alone, and refuses a manual merge of two valid IDs', async () => {
    const masked = await registry.importFile(writeS1([MASKED], '党员信息导出_C.csv'));
    expect(masked.status).toBe('completed');
    const [wang] = await registry.personsNamed('王建国');
    const [zhao] = await registry.personsNamed('赵敏');
    expect(zhao).toEqual(expect.any(String));
    expect(zhao).not.toBe(wang);
    const [sun] = await registry.personsNamed('孙强');
    const refused = await registry.call('POST', '/v1/persons/merge', reviewKey, { survivorId: wang, mergedId: sun });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).not.toContain(WANG_ID);
    expect(await registry.personsNamed('孙强')).toEqual([sun]);
  });
});

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

  it('lists the worklist highest score first, each side named with its community and organization, filtered by kind, status and place', async () => {
    const page = (query: string) => registry.call('GET', `/v1/review-tasks?${query}`, readKey).then((r) => r.json());
    const { items } = await page('status=open');
    expect(items).toHaveLength(2);
    expect(items.map((t: { score: number }) => t.score)).toEqual([...items.map((t: { score: number }) => t.score)].sort((a, b) => b - a));
    expect(items[0].score).toBeGreaterThan(0);
    for (const task of items) {
      const name = task.summary.slice(0, task.summary.indexOf(' '));
      for (const side of [task.left, task.right]) {
        expect(side).toEqual({ name, community: '兴康社区居委会', communityCode: '150105001019', organization: expect.stringContaining('兴康') });
      }
      expect(task).toMatchObject({ kind: 'possible-duplicate', status: 'open', decision: null, decidedAt: null, note: null });
    }
    // Oldest first on request; paged the same way.
    const byAge = (await page('status=open&sort=age')).items.map((t: { id: string }) => t.id);
    const created = (await registry.db.query(`SELECT id FROM review_task WHERE status = 'open' ORDER BY created_at, id`)).map((r: { id: string }) => r.id);
    expect(byAge).toEqual(created);
    const first = await page('status=open&limit=1');
    expect(first.items[0].id).toBe(items[0].id);
    expect((await page(`status=open&limit=1&after=${first.nextCursor}`)).items[0].id).toBe(items[1].id);
    // Place and kind.
    expect((await page('status=open&district=150105')).items).toHaveLength(2);
    expect((await page('status=open&community=150105001019')).items).toHaveLength(2);
    expect((await page('status=open&district=150102')).items).toHaveLength(0);
    expect((await page('status=open&kind=conflict')).items).toHaveLength(0);
    expect((await page('status=decided')).items).toHaveLength(0);
    for (const bad of ['district=15', 'kind=maybe', 'sort=name', 'status=undecided']) {
      expect((await registry.call('GET', `/v1/review-tasks?${bad}`, readKey)).statusCode).toBe(400);
    }
  });

  it('shows each side of a task with its organizations, communities and source rows', async () => {
    const [task] = (await registry.call('GET', '/v1/review-tasks?status=open', readKey)).json().items.filter((t: { summary: string }) => t.summary.startsWith('张丽华'));
    const body = (await registry.call('GET', `/v1/review-tasks/${task.id}`, readKey)).json();
    for (const [side, file] of [[body.left, '党员信息导出_B.csv'], [body.right, '党员信息导出_A.csv']]) {
      expect(side.organizations).toEqual([expect.objectContaining({ formalName: ORG, communityCode: '150105001019', community: '兴康社区居委会', status: 'current' })]);
      expect(side.communities).toEqual([{ code: '150105001019', name: '兴康社区居委会' }]);
      expect(side.sources).toEqual([expect.objectContaining({ sourceKind: 'S1', file, batchId: expect.any(String), row: expect.stringMatching(/^\d+$/), role: 'subject' })]);
    }
    const batch = (await registry.db.query(`SELECT id FROM import_batch WHERE file_name = '党员信息导出_B.csv'`))[0].id;
    expect(body.left.sources[0].batchId).toBe(batch);
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

  it('undoes decisions: a merge is unmerged and its task open again; a keep-apart task is open again', async () => {
    const decided = (await registry.call('GET', '/v1/review-tasks?status=decided&sort=age', readKey)).json().items;
    const zhang = decided.find((t: { summary: string }) => t.summary.startsWith('张丽华'));
    const liu = decided.find((t: { summary: string }) => t.summary.startsWith('刘芳'));
    expect([zhang.decision, liu.decision]).toEqual(['keep-apart', 'merge']);

    // The merge the decision made is listed among the merges people made, undoable.
    const merges = (await registry.call('GET', '/v1/entity-merges?entityType=person', readKey)).json().items;
    const liuMerge = merges.find((m: { reviewTaskId: string | null }) => m.reviewTaskId === liu.id);
    expect(liuMerge).toMatchObject({ survivorId: liu.rightId, mergedId: liu.leftId, mergedName: '刘芳', survivorName: '刘芳', unmergedAt: null, undoable: true, moved: { links: expect.any(Number) } });
    // The manual merge of 张丽华, undone in an earlier test, is there too, no longer undoable.
    expect(merges).toContainEqual(expect.objectContaining({ mergedName: '张丽华', note: 'same person after all', unmergedAt: expect.any(String), undoable: false }));
    expect(merges.map((m: { mergedAt: string }) => m.mergedAt)).toEqual([...merges.map((m: { mergedAt: string }) => m.mergedAt)].sort().reverse());

    const openBefore = await openTasks();
    expect((await registry.call('POST', `/v1/review-tasks/${liu.id}/undo`, readKey)).statusCode).toBe(403);
    const undone = await registry.call('POST', `/v1/review-tasks/${liu.id}/undo`, reviewKey);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ id: liu.id, status: 'open', decidedBy: null, decidedAt: null, note: null });
    expect((await registry.personsNamed('刘芳')).sort()).toEqual([liu.leftId, liu.rightId].sort());
    expect((await registry.call('GET', `/v1/review-tasks/${liu.id}`, readKey)).json().task).toMatchObject({ status: 'open' });
    expect((await registry.call('GET', '/v1/entity-merges', readKey)).json().items.find((m: { id: string }) => m.id === liuMerge.id))
      .toMatchObject({ unmergedAt: expect.any(String), unmergedBy: 'api-key:reviewer', undoable: false });

    const reopened = await registry.call('POST', `/v1/review-tasks/${zhang.id}/undo`, reviewKey);
    expect(reopened.json()).toMatchObject({ status: 'open', decidedBy: null });
    expect(await openTasks()).toBe(openBefore + 2);
    // Nothing left to undo on an open task; and it can be decided again.
    expect((await registry.call('POST', `/v1/review-tasks/${zhang.id}/undo`, reviewKey)).statusCode).toBe(409);
    expect((await registry.call('POST', `/v1/review-tasks/00000000-0000-4000-8000-000000000000/undo`, reviewKey)).statusCode).toBe(404);
    expect((await registry.call('POST', `/v1/review-tasks/${liu.id}/decision`, reviewKey, { decision: 'merge' })).json()).toMatchObject({ status: 'merged' });
    expect(await registry.personsNamed('刘芳')).toEqual([liu.rightId]);
  });
});

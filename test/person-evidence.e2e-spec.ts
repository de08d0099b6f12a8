import { SUN_ID, validCitizenId, WANG_ID, writeS1, XINGKANG_COMMITTEE as ORG, XINGKANG_FOUR } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

// 王建国's ID typed with two adjacent digits swapped (the sequence digits 1 and 2): its check character fails.
const WANG_SWAPPED = WANG_ID.slice(0, 14) + WANG_ID[15] + WANG_ID[14] + WANG_ID.slice(16);
const ZHOU_ID = validCitizenId('150105', '19910215', '234');

const ROSTER = [
  // 王建国 again, from a ledger typed by hand: the swapped ID, no phone; same name and organization.
  `1,王建国,男,汉族,1975-03-04,${WANG_SWAPPED},高中,正式党员,,,${ORG},,,`,
  // A name and nothing else that tells who it is.
  '2,李文博,,,,,,,,,,,,',
  // A new member with a valid ID and a phone one digit short.
  `3,周宁,女,汉族,1991-02-15,${ZHOU_ID},大学,正式党员,2015-07-01,2016-07-01,${ORG},1391234567,兴康小学,`,
  // 郑爽's row carrying 孙强's ID: a typing error, not 孙强.
  `4,郑爽,女,汉族,1982-07-10,${SUN_ID},大学,正式党员,2012-07-01,2013-07-01,${ORG},,兴康中学,`,
];

describe('a bad field is a flagged field; an ID is not stronger than everything else (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let batchId: string;
  let readKey: string;

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    readKey = await registry.key('reader', ['registry:read', 'imports:write']);
    expect((await registry.importFile(writeS1(XINGKANG_FOUR, '党员信息导出_A.csv'))).status).toBe('completed');
    const summary = await registry.importFile(writeS1(ROSTER, '党员信息导出_B.csv'));
    batchId = summary.batchId;
    expect(summary).toMatchObject({ status: 'completed', rows: 4, accepted: 3, rejected: 1, skipped: 0, warnings: 3, reviewPending: 1 });
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  const linkedPerson = async (ref: string) => (await registry.db.query(
    `SELECT l.entity_id::text AS id FROM record_link l JOIN source_record r ON r.id = l.source_record_id
      WHERE r.batch_id = $1 AND r.record_ref = $2`, [batchId, ref]))[0]?.id;

  it('merges the member whose ID has two digits swapped into the member, counted once in the organization', async () => {
    const [wang] = await registry.personsNamed('王建国');
    expect(await registry.personsNamed('王建国')).toHaveLength(1);
    expect(await linkedPerson('2')).toBe(wang);
    const [organization] = await registry.db.query(
      `SELECT l.organization_id::text AS id FROM record_link l JOIN source_record r ON r.id = l.source_record_id WHERE r.batch_id = $1 AND r.record_ref = '2'`, [batchId]);
    const memberships = await registry.db.query(`SELECT organization_id::text AS organization, status FROM membership WHERE person_id = $1`, [wang]);
    expect(memberships).toEqual([{ organization: organization.id, status: 'current' }]);
    // The typo never becomes an identity: 王建国 keeps the valid ID he had.
    const [person] = await registry.db.query(`SELECT id_number_hmac, id_evidence FROM person WHERE id = $1`, [wang]);
    expect(person.id_number_hmac).toEqual(expect.any(String));
    expect(person.id_evidence).toBeNull();
  });

  it('rejects the row that gives a name alone, saying why', async () => {
    expect(await registry.personsNamed('李文博')).toEqual([]);
    const rejections = await registry.db.query(`SELECT record_ref, column_name, reason FROM rejection WHERE batch_id = $1`, [batchId]);
    expect(rejections).toEqual([{ record_ref: '3', column_name: '姓名', reason: expect.stringContaining('identifies no one') }]);
  });

  it('accepts the member with a bad phone and flags the phone', async () => {
    const [zhou] = await registry.personsNamed('周宁');
    expect(zhou).toEqual(expect.any(String));
    const [person] = await registry.db.query(`SELECT id_number_hmac, phone_hmac FROM person WHERE id = $1`, [zhou]);
    expect(person).toEqual({ id_number_hmac: expect.any(String), phone_hmac: null });
  });

  it('keeps both persons when a valid ID comes under an unrelated name, and asks a reviewer', async () => {
    const [sun] = await registry.personsNamed('孙强');
    const zheng = await registry.personsNamed('郑爽');
    expect(zheng).toHaveLength(1);
    expect(await linkedPerson('5')).toBe(zheng[0]);
    const holders = await registry.db.query(`SELECT name FROM person WHERE id_number_hmac IS NOT NULL AND id = ANY($1::uuid[]) ORDER BY name`, [[sun, zheng[0]]]);
    expect(holders).toEqual([{ name: '孙强' }]);
    const tasks = await registry.db.query(`SELECT kind, left_id::text AS left, right_id::text AS right, summary FROM review_task WHERE batch_id = $1`, [batchId]);
    expect(tasks).toEqual([{ kind: 'conflict', left: zheng[0], right: sun, summary: expect.stringContaining('郑爽') }]);
  });

  it('lists the warnings with sheet, row, column and reason, without ID or phone digits, in the batch and the quality report', async () => {
    const batch = (await registry.call('GET', `/v1/imports/${batchId}`, readKey)).json();
    expect(batch.counts.warnings).toBe(3);
    const warnings = batch.firstWarnings as { recordRef: string; column: string; reason: string }[];
    expect(warnings.map((w) => [w.recordRef, w.column])).toEqual([['2', '公民身份号码'], ['4', '联系电话'], ['5', '公民身份号码']]);
    expect(warnings[0].reason).toMatch(/校验码错误/);
    expect(warnings[1].reason).toMatch(/电话号码/);
    expect(warnings[2].reason).toMatch(/孙强.*郑爽/);
    for (const w of warnings) expect(w.reason).not.toMatch(/\d{6,}/);

    const report = (await registry.call('GET', `/v1/reports/quality?scope=${batchId}&format=json`, readKey)).json() as { rows: { kind: string; cells: unknown[] }[] };
    const lines = report.rows.filter((r) => r.kind === 'detail' && String(r.cells[0]).startsWith('警告：'));
    expect(lines.reduce((n, r) => n + Number(r.cells[12]), 0)).toBe(3);
    expect(lines.map((r) => String(r.cells[0]))).toEqual(expect.arrayContaining([expect.stringMatching(/列 联系电话 行 4：电话号码/)]));
    for (const line of lines) expect(String(line.cells[0])).not.toMatch(/\d{6,}/);
  });

  it('changes nothing when the same rows come again in a newer export', async () => {
    const persons = (await registry.db.query(`SELECT count(*)::int AS n FROM person`))[0].n;
    const again = await registry.importFile(writeS1([...ROSTER, `5,吴静,女,汉族,1990-01-01,,大学,预备党员,,,${ORG},,,`], '党员信息导出_C.csv'));
    expect(again).toMatchObject({ status: 'completed', rows: 5, accepted: 4, rejected: 1, reviewPending: 0 });
    expect((await registry.db.query(`SELECT count(*)::int AS n FROM person`))[0].n).toBe(persons + 1);
    expect(await registry.personsNamed('郑爽')).toHaveLength(1);
    expect(await registry.personsNamed('王建国')).toHaveLength(1);
    expect((await registry.db.query(`SELECT count(*)::int AS n FROM review_task WHERE kind = 'conflict'`))[0].n).toBe(1);
  });

  it('rebuilds the person of a contested row without the ID another person holds', async () => {
    const [batchC] = await registry.db.query(`SELECT id::text FROM import_batch WHERE file_name = '党员信息导出_C.csv'`);
    // Rolling back the newer export rebuilds 郑爽 from the rows still linked to her.
    const adminKey = await registry.key('admin', ['admin']);
    expect((await registry.call('POST', `/v1/imports/${batchC.id}/rollback`, adminKey)).statusCode).toBe(200);
    const persons = await registry.db.query(`SELECT name, id_number_hmac IS NOT NULL AS "holdsId" FROM person WHERE name IN ('郑爽', '孙强') ORDER BY name`);
    expect(persons).toEqual([{ name: '孙强', holdsId: true }, { name: '郑爽', holdsId: false }]);
  });

  it('finds the person of a mistyped ID again when the valid ID comes later', async () => {
    const gongId = validCitizenId('150105', '19880808', '345');
    // The year's digits swapped (1898): the typo's birth date is another year, so only its near misses find it.
    const gongTypo = gongId.slice(0, 7) + gongId[8] + gongId[7] + gongId.slice(9);
    const first = await registry.importFile(writeS1([`1,龚睿哲,男,汉族,,${gongTypo},大学,正式党员,,,${ORG},,,`], '党员信息导出_D.csv'));
    expect(first).toMatchObject({ status: 'completed', accepted: 1, created: 1, warnings: 1 });
    const later = await registry.importFile(writeS1([`1,龚睿哲,男,汉族,1988-08-08,${gongId},大学,正式党员,2010-07-01,2011-07-01,${ORG},13512345678,,`], '党员信息导出_E.csv'));
    expect(later).toMatchObject({ status: 'completed', accepted: 1, created: 0, matched: 1, warnings: 0 });
    const gong = await registry.personsNamed('龚睿哲');
    expect(gong).toHaveLength(1);
    const [person] = await registry.db.query(`SELECT id_number_hmac IS NOT NULL AS "holdsId", id_evidence FROM person WHERE id = $1`, [gong[0]]);
    expect(person).toEqual({ holdsId: true, id_evidence: null });
  });
});

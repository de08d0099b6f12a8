import { WANG_ID, writeS1, XINGKANG_COMMITTEE as ORG } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

// 王建国 listed twice in one export, as a member who moved is: the later row says where he works and lives now.
const ROSTER = [
  `1,王建国,男,汉族,1975-03-04,${WANG_ID},高中,正式党员,2001-07-01,2002-07-01,${ORG},13912345678,供电局,呼和浩特市赛罕区兴康小区1号楼1单元101`,
  `2,王建国,男,汉族,1975-03-04,${WANG_ID},高中,正式党员,2001-07-01,2002-07-01,${ORG},13912345678,税务局,呼和浩特市赛罕区兴康小区3号楼2单元502`,
];

describe('a member listed twice in one export, both rows merged in one chunk (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let batchId: string;

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    const summary = await registry.importFile(writeS1(ROSTER, '党员信息导出_twice.csv'));
    batchId = summary.batchId;
    expect(summary).toMatchObject({ status: 'completed', accepted: 2, created: 1, matched: 1, updated: 1 });
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('holds what the later row says, with the later record answering for it, as the change feed says', async () => {
    const [wang] = await registry.personsNamed('王建国');
    expect(await registry.personsNamed('王建国')).toHaveLength(1);
    const [person] = await registry.db.query(
      `SELECT workplace, residence, lineage[7] >> 3 AS "workplaceRecord" FROM person WHERE id = $1`, [wang]);
    const [later] = await registry.db.query(`SELECT id FROM source_record WHERE batch_id = $1 AND record_ref = '3'`, [batchId]);
    expect(person).toEqual({ workplace: '税务局', residence: expect.stringContaining('3号楼'), workplaceRecord: later.id });
    const updates = await registry.db.query(`SELECT changes FROM change_log WHERE entity_id = $1 AND action = 'update'`, [wang]);
    expect(updates).toEqual([{ changes: expect.objectContaining({ workplace: ['供电局', '税务局'] }) }]);
  });
});

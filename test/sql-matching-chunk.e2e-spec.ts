import { validCitizenId, writeS1, XINGKANG_COMMITTEE as ORG } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

// An ID first seen in this file: its holder is a person the same chunk creates.
const HAN_ID = validCitizenId('150105', '19800101', '321');

/**
 * The registry's candidates are compared in SQL ahead of a chunk; a record whose ID's holder is
 * created earlier in the same chunk is compared on its turn instead (without the ID it cannot
 * hold), and records of one chunk still find each other.
 */
describe('records of one chunk match the persons the chunk creates (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let batchId: string;

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    const summary = await registry.importFile(writeS1([
      `1,韩雪梅,女,汉族,1980-01-01,${HAN_ID},大学,正式党员,2005-07-01,2006-07-01,${ORG},13900001111,,`,
      // The same person again in the same file, her ID left out: her phone and name find her.
      `2,韩雪梅,女,汉族,1980-01-01,,大学,正式党员,2005-07-01,2006-07-01,${ORG},13900001111,,`,
      // 韩雪梅's ID under an unrelated name: not her, and a reviewer is asked.
      `3,郑爽,女,汉族,1982-07-10,${HAN_ID},大学,正式党员,2012-07-01,2013-07-01,${ORG},,,`,
    ], '党员信息导出_chunk.csv'));
    batchId = summary.batchId;
    expect(summary).toMatchObject({ status: 'completed', rows: 3, accepted: 3, rejected: 0 });
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('merges the second record into the person the first created', async () => {
    expect(await registry.personsNamed('韩雪梅')).toHaveLength(1);
  });

  it('keeps the record with another name apart, without the ID, and opens a conflict task', async () => {
    const [han] = await registry.personsNamed('韩雪梅');
    const zheng = await registry.personsNamed('郑爽');
    expect(zheng).toHaveLength(1);
    const holders = await registry.db.query(`SELECT name FROM person WHERE id_number_hmac IS NOT NULL AND id = ANY($1::uuid[])`, [[han, zheng[0]]]);
    expect(holders).toEqual([{ name: '韩雪梅' }]);
    const tasks = await registry.db.query(`SELECT kind, left_id::text AS left, right_id::text AS right FROM review_task WHERE batch_id = $1`, [batchId]);
    expect(tasks).toEqual([{ kind: 'conflict', left: zheng[0], right: han }]);
  });
});

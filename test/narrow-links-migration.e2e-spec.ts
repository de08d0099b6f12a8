import { DataSource } from 'typeorm';
import { migrate } from '../libs/database/src';
import { databaseBefore, TestDatabase } from './support/test-database';

const MIGRATION = 'NarrowLinksAndFeed1795590050000';
const [P, O, O2, J, C, B] = ['01900000-0000-7000-8000-000000000001', '01900000-0000-7000-8000-000000000002', '01900000-0000-7000-8000-000000000003',
  '01900000-0000-7000-8000-000000000004', '01900000-0000-7000-8000-000000000005', '01900000-0000-7000-8000-000000000006'];

type Link = { record: string; type: string; id: string; role: string; method: string; score: number | null };

describe('migration NarrowLinksAndFeed: links of an older version become one row per record, the feed drops create values', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ database, dataSource } = await databaseBefore(MIGRATION));
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('keeps every link, moves merge undo records to the new keys, and narrows create entries', async () => {
    const [batch] = await dataSource.query(`INSERT INTO import_batch (file_name, file_path, file_sha256, file_bytes, status, trigger)
      VALUES ('old.csv', 'old.csv', $1, 1, 'completed', 'test') RETURNING id::text`, ['0'.repeat(64)]);
    const records: string[] = (await dataSource.query(`INSERT INTO source_record (batch_id, record_ref, status, raw, row_hash, header_no)
      SELECT $1, n::text, 'accepted', '{}', lpad(n::text, 64, '0'), 1 FROM generate_series(1, 3) n RETURNING id::text`, [batch.id])).map((r: { id: string }) => r.id);
    const [member, branch, building] = records;
    // A member row (subject, organization); a red-property row naming two organizations and more; a building row.
    const old: Link[] = [
      { record: member, type: 'person', id: P, role: 'subject', method: 'probabilistic', score: 11.5 },
      { record: member, type: 'organization', id: O, role: 'organization', method: 'name', score: null },
      { record: branch, type: 'organization', id: O2, role: 'subject', method: 'created', score: null },
      { record: branch, type: 'organization', id: O, role: 'parent', method: 'name', score: null },
      { record: branch, type: 'organization', id: J, role: 'organization', method: 'external-id', score: null },
      { record: branch, type: 'organization', id: O, role: 'organization', method: 'name', score: null },
      { record: branch, type: 'division', id: '150105001001', role: 'community', method: 'name', score: null },
      { record: building, type: 'building', id: B, role: 'subject', method: 'created', score: null },
      { record: building, type: 'compound', id: C, role: 'compound', method: 'name', score: null },
    ];
    const ids: string[] = [];
    for (const l of old) {
      ids.push((await dataSource.query(`INSERT INTO record_link (source_record_id, entity_type, entity_id, role, method, score) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
        [l.record, l.type, l.id, l.role, l.method, l.score]))[0].id);
    }
    // A merge of O (absorbed) that moved its links: the member's organization, the branch's parent and its second organization.
    await dataSource.query(`INSERT INTO entity_merge (entity_type, survivor_id, merged_id, merged_by, undo) VALUES ('organization', $1, $2, 'test', $3)`,
      [O2, O, { merged: {}, survivor: {}, linkIds: [ids[1], ids[3], ids[5]], externalRefs: [], childIds: [], memberships: [], roles: [] }]);
    await dataSource.query(`INSERT INTO change_log (entity_type, entity_id, action, batch_id, changes, actor) VALUES
      ('person', $1, 'create', $2, '{"name": [null, "张伟"]}', $3), ('person', $1, 'update', $2, '{"name": ["张伟", "张玮"]}', $3),
      ('division', '150105001001', 'update', NULL, '{"name": ["a", "b"]}', 'seed')`, [P, batch.id, `batch:${batch.id}`]);

    expect(await migrate(dataSource)).toContain(MIGRATION);

    const entries: Link[] = await dataSource.query(`SELECT source_record_id::text AS record, entity_type AS type, entity_id AS id, role, method, score FROM record_link_entry`);
    const key = (l: Link) => `${l.record} ${l.role} ${l.type} ${l.id} ${l.method} ${l.score}`;
    expect(entries.map(key).sort()).toEqual(old.map(key).sort());
    expect(await dataSource.query(`SELECT source_record_id::text AS record, organization_id::text AS organization FROM record_link ORDER BY source_record_id`))
      .toEqual([{ record: member, organization: O }, { record: branch, organization: J }, { record: building, organization: null }]);
    expect((await dataSource.query(`SELECT count(*)::int AS n FROM record_reference`))[0].n).toBe(4);

    const [{ undo }] = await dataSource.query(`SELECT undo FROM entity_merge`);
    expect(undo.linkIds).toBeUndefined();
    expect(undo.links).toEqual({ subjects: [], organizations: [member], references: [ids[3], ids[5]] });
    expect(await dataSource.query(`SELECT role, entity_id AS id FROM record_reference WHERE id = ANY($1::bigint[]) ORDER BY id`, [undo.links.references]))
      .toEqual([{ role: 'parent', id: O }, { role: 'organization', id: O }]);

    expect(await dataSource.query(`SELECT action, changes, actor FROM change_log ORDER BY seq`)).toEqual([
      { action: 'create', changes: null, actor: null },
      { action: 'update', changes: { name: ['张伟', '张玮'] }, actor: null },
      { action: 'update', changes: { name: ['a', 'b'] }, actor: 'seed' },
    ]);
    // New entries come after the old ones, each owning a block of positions for a range of creates.
    const [{ seq }] = await dataSource.query(`INSERT INTO change_log (entity_type, entity_id, action, changes) VALUES ('person', $1, 'update', '{}') RETURNING seq::text`, [P]);
    const [{ last }] = await dataSource.query(`SELECT max(seq)::text AS last FROM change_log WHERE seq < $1`, [seq]);
    expect([BigInt(seq) > BigInt(last), BigInt(seq) % 1024n]).toEqual([true, 0n]);
    // A new reference takes an id after the converted ones.
    const [next] = await dataSource.query(`INSERT INTO record_reference (source_record_id, role, entity_type, entity_id, method) VALUES ($1, 'grid', 'grid', $2, 'name') RETURNING id::text`, [building, C]);
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(ids[ids.length - 1]));
  });
});

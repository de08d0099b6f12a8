import { validCitizenId, writeS1, XINGKANG_COMMITTEE as COMMITTEE } from './support/member-roster';
import { RegistryUnderTest } from './support/registry-under-test';

const GRID_ONE = '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会';
const GRID_TWO = '中共呼和浩特市赛罕区人民路街道兴康社区第二网格支部委员会';
const WANG_ID = validCitizenId('150105', '19750304', '123');
const WANG_PHONE = '13912345678';
const REGISTRY = [
  `1,王建国,男,汉族,1975-03-04,${WANG_ID},高中,正式党员,2001-07-01,2002-07-01,${COMMITTEE},${WANG_PHONE},供电局,`,
  `2,李秀英,女,汉族,1970-02-14,${validCitizenId('150105', '19700214', '222')},高中,正式党员,1995-07-01,1996-07-01,${GRID_ONE},13800002222,退休,`,
  `3,赵刚,男,汉族,1966-09-30,${validCitizenId('150105', '19660930', '331')},大学,正式党员,1990-07-01,1991-07-01,${GRID_TWO},13800003333,退休,`,
  // The same woman twice, once without ID or phone: only a reviewer (here: a curator by hand) joins them.
  `4,陈丽,女,汉族,1988-12-01,,大学,正式党员,2012-07-01,2013-07-01,${GRID_ONE},,兴康小学,`,
  `5,陈丽,女,汉族,1988-12-01,,大学,正式党员,,,${GRID_ONE},13800004444,兴康中学,`,
];
// 王建国 again, in the registry's organization with his name, gender and birth date, but his ID only as
// Excel left it (shown in scientific notation, or printed with its last digits lost), and nothing else
// that identifies him: no phone, no joining day.
const DAMAGED_SCIENTIFIC = `1,王建国,男,汉族,1975-03-04,1.50105E+17,高中,正式党员,,,${COMMITTEE},,,`;
const DAMAGED_PRINTED = `2,王建国,男,汉族,1975-03-04,${WANG_ID.slice(0, 15)}000,高中,正式党员,,,${COMMITTEE},,,`;
// Someone else whose masked ID shows 王建国's region and last digits, with his birth date, gender and organization.
const MASKED = `3,李强,男,汉族,1975-03-04,150105********${WANG_ID.slice(-4)},高中,正式党员,,,${COMMITTEE},,,`;

describe('curation: no merge on a damaged or masked ID alone; merge and unmerge by hand restore both (real PostgreSQL)', () => {
  let registry: RegistryUnderTest;
  let reviewKey: string;
  let readKey: string;

  /** The person each data row of a file was linked to, by row. */
  const linkedPersons = async (file: string): Promise<string[]> =>
    (await registry.db.query(
      `SELECT l.entity_id AS id FROM record_link l JOIN source_record r ON r.id = l.source_record_id JOIN import_batch b ON b.id = r.batch_id
        WHERE b.file_name = $1 AND l.entity_type = 'person' ORDER BY r.id`, [file])).map((r: { id: string }) => r.id);
  const organizationNamed = async (formalName: string): Promise<string> =>
    (await registry.db.query(`SELECT id::text FROM party_organization WHERE formal_name = $1`, [formalName]))[0].id;
  /** The merge and unmerge entries of the change feed about these entities, as [action, entityId, changes]. */
  const feedOf = async (type: string, ids: string[]) =>
    (await registry.db.query(`SELECT action, entity_id AS "entityId", changes FROM change_log WHERE entity_type = $1 AND action IN ('merge', 'unmerge') AND entity_id = ANY($2) ORDER BY seq`, [type, ids]))
      .map((f: { action: string; entityId: string; changes: object }) => [f.action, f.entityId, f.changes]);
  /** Everything a merge and unmerge may touch of one organization, without timestamps. */
  const organizationSnapshot = async (id: string) => ({
    organization: (await registry.db.query(
      `SELECT type, tags, formal_name, short_name, name_key, parent_id, division_code, grid_id, building_id, compound_id, property_company_id, founded_on::text, lineage
         FROM party_organization WHERE id = $1`, [id]))[0],
    links: await registry.db.query(`SELECT source_record_id::text, role FROM record_link_entry WHERE entity_type = 'organization' AND entity_id = $1 ORDER BY source_record_id, role`, [id]),
    memberships: await registry.db.query(`SELECT id, person_id, status, category, joined_on::text, lineage FROM membership WHERE organization_id = $1 ORDER BY id`, [id]),
    children: await registry.db.query(`SELECT id::text FROM party_organization WHERE parent_id = $1 ORDER BY id`, [id]),
  });

  beforeAll(async () => {
    registry = await RegistryUnderTest.open();
    readKey = await registry.key('reader', ['registry:read']);
    reviewKey = await registry.key('curator', ['registry:read', 'review:write']);
    expect((await registry.importFile(writeS1(REGISTRY, '党员信息导出_registry.csv'))).status).toBe('completed');
    expect(await registry.personsNamed('陈丽')).toHaveLength(2);
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
  });

  it('never merges a person on an Excel-damaged ID alone: each record stays a person of its own', async () => {
    const [wang] = await registry.personsNamed('王建国');
    const batch = await registry.importFile(writeS1([DAMAGED_SCIENTIFIC, DAMAGED_PRINTED], '党员信息导出_damaged.csv'));
    expect(batch.status).toBe('completed');
    const linked = await linkedPersons('党员信息导出_damaged.csv');
    expect(linked).toHaveLength(2);
    expect(linked).not.toContain(wang);
    expect((await registry.personSnapshot(wang)).links).toHaveLength(1);
  });

  it('never merges a person on a masked ID alone, but does when name and phone agree too', async () => {
    const [wang] = await registry.personsNamed('王建国');
    const masked = await registry.importFile(writeS1([MASKED], '党员信息导出_masked.csv'));
    expect(masked.status).toBe('completed');
    const [maskedPerson] = await linkedPersons('党员信息导出_masked.csv');
    expect(maskedPerson).toEqual(expect.any(String));
    expect(maskedPerson).not.toBe(wang);

    // The control: the same masked ID with his name and phone is him, so the refusal above was the rule, not a miss.
    const withPhone = await registry.importFile(writeS1([MASKED.replace('李强', '王建国').replace(/,,,$/, `,${WANG_PHONE},,`)], '党员信息导出_masked_phone.csv'));
    expect(withPhone.status).toBe('completed');
    expect(await linkedPersons('党员信息导出_masked_phone.csv')).toEqual([wang]);
  });

  it('merges two persons by hand, recomputing the golden record, and unmerge restores both', async () => {
    const [withoutPhone, withPhone] = (await registry.db.query(`SELECT id::text FROM person WHERE name = '陈丽' ORDER BY phone_hmac NULLS FIRST`)).map((r: { id: string }) => r.id);
    const before = { survivor: await registry.personSnapshot(withoutPhone), merged: await registry.personSnapshot(withPhone) };
    expect(before.survivor.person.phone_hmac).toBeNull();

    const merge = await registry.call('POST', '/v1/persons/merge', reviewKey, { survivorId: withoutPhone, mergedId: withPhone, note: '同一人' });
    expect(merge.statusCode).toBe(200);
    const joined = await registry.personSnapshot(withoutPhone);
    // The golden record is rebuilt from both persons' records: the phone only the absorbed one had is the survivor's now.
    expect(joined.person.phone_hmac).toBe(before.merged.person.phone_hmac);
    expect(joined.links).toHaveLength(before.survivor.links.length + before.merged.links.length);
    expect(await registry.personsNamed('陈丽')).toEqual([withoutPhone]);

    const unmerge = await registry.call('POST', `/v1/persons/${withPhone}/unmerge`, reviewKey);
    expect(unmerge.statusCode).toBe(200);
    expect({ survivor: await registry.personSnapshot(withoutPhone), merged: await registry.personSnapshot(withPhone) }).toEqual(before);
    // One shape of merge in the feed, whoever merged; the unmerge brings the person back with its fields (masked).
    expect(await feedOf('person', [withoutPhone, withPhone])).toEqual([
      ['merge', withoutPhone, { absorbed: [withPhone, withoutPhone] }],
      ['unmerge', withPhone, expect.objectContaining({ mergedInto: [withoutPhone, null], name: [null, '陈丽'], phone: [null, before.merged.person.phone_masked] })],
    ]);
  });

  it('merges two organizations by hand, moving members and records, and unmerge restores both', async () => {
    const [survivor, merged] = [await organizationNamed(GRID_ONE), await organizationNamed(GRID_TWO)];
    const before = { survivor: await organizationSnapshot(survivor), merged: await organizationSnapshot(merged) };
    expect(before.merged.memberships).toHaveLength(1);

    const merge = await registry.call('POST', '/v1/organizations/merge', reviewKey, { survivorId: survivor, mergedId: merged, note: '两个网格合并' });
    expect(merge.statusCode).toBe(200);
    expect(merge.json()).toMatchObject({ survivorId: survivor, mergedId: merged, moved: { links: before.merged.links.length } });
    const joined = await organizationSnapshot(survivor);
    expect(joined.memberships.map((m: { id: string }) => m.id).sort()).toEqual([...before.survivor.memberships, ...before.merged.memberships].map((m) => m.id).sort());
    expect(joined.links).toHaveLength(before.survivor.links.length + before.merged.links.length);
    expect((await registry.db.query(`SELECT count(*)::int AS n FROM party_organization WHERE id = $1`, [merged]))[0].n).toBe(0);
    expect((await registry.call('GET', `/v1/organizations/${merged}/lineage`, readKey)).json().mergedInto).toBe(survivor);
    const [zhao] = await registry.personsNamed('赵刚');
    expect((await registry.call('GET', `/v1/persons/${zhao}`, readKey)).json().memberships).toEqual([expect.objectContaining({ organizationId: survivor, status: 'current' })]);

    const unmerge = await registry.call('POST', `/v1/organizations/${merged}/unmerge`, reviewKey);
    expect(unmerge.statusCode).toBe(200);
    expect({ survivor: await organizationSnapshot(survivor), merged: await organizationSnapshot(merged) }).toEqual(before);
    expect((await registry.call('GET', `/v1/persons/${zhao}`, readKey)).json().memberships).toEqual([expect.objectContaining({ organizationId: merged, status: 'current' })]);
    expect((await registry.call('POST', `/v1/organizations/${merged}/unmerge`, reviewKey)).statusCode).toBe(409);
    expect(await feedOf('organization', [survivor, merged])).toEqual([
      ['merge', survivor, { absorbed: [merged, survivor] }],
      ['unmerge', merged, expect.objectContaining({ mergedInto: [survivor, null], formalName: [null, GRID_TWO] })],
    ]);
    // The merge moved 赵刚's membership implicitly (the merge entry says so); the unmerge says where it goes back to.
    const [zhaoMembership] = before.merged.memberships.map((m: { id: string }) => m.id);
    expect(await registry.db.query(`SELECT action, changes FROM change_log WHERE entity_type = 'membership' AND entity_id = $1 AND action <> 'create' ORDER BY seq`, [zhaoMembership]))
      .toEqual([{ action: 'update', changes: { organizationId: [survivor, merged] } }]);
  });
});

import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { personNameKeys } from '@qc/naming';

export interface BenchRegistry {
  persons: number;
  communities: number;
  /** A sample of person ids to request. */
  personIds: string[];
  /** Every community committee, the roots of the four-level trees. */
  committeeIds: string[];
  /** Full names present in the registry, each about persons/NAME_POOL times. */
  names: string[];
}

/** Members per community while the reference has communities enough; above that, more members in each. */
const MEMBERS_PER_COMMUNITY = 375;
const GRIDS_PER_COMMUNITY = 4;
const GROUPS_PER_BRANCH = 2;
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文云奇包鲍敖宝';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力';

/** person i's id: deterministic, so the bench knows ids without reading them back; a version-4 UUID like the registry's own. */
export function benchPersonId(i: number): string {
  const hex = createHash('md5').update(`p${i}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** benchPersonId in SQL. */
const PERSON_ID = `overlay(overlay(md5('p' || i) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * Fills a migrated, seeded bench database with `persons` party members in the structure the API
 * serves (社区党委 → 网格党支部 → 楼栋党小组, memberships, 党员中心户), straight through SQL
 * generate_series: the import pipeline is not what this benchmark measures. ID numbers and phones
 * get plausible cipher strings, masked forms and hashes (the benchmark reads masked).
 */
export async function populateRegistry(url: string, persons: number): Promise<BenchRegistry> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const names = [...SURNAMES].flatMap((s) => [...GIVEN].map((g) => `${s}${g}`));
    const keys = names.map((n) => personNameKeys(n));
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE bench_name ON COMMIT DROP AS
      SELECT k - 1 AS k, name, name_key, name_pinyin FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(name, name_key, name_pinyin, k)`,
    [names, keys.map((k) => k.exact), keys.map((k) => k.phonetic)]);
    await client.query(`CREATE TEMP TABLE bench_community ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY code) - 1 AS c, code FROM division WHERE level = 'community' ORDER BY code LIMIT $1`, [Math.ceil(persons / MEMBERS_PER_COMMUNITY)]);
    // The reference holds about 1,400 communities: a million persons put about 720 in each.
    const { rows: [{ communities }] } = await client.query('SELECT count(*)::int AS communities FROM bench_community');
    const membersPerCommunity = Math.ceil(persons / communities);
    await client.query(`CREATE TEMP TABLE bench_grid ON COMMIT DROP AS
      SELECT c, code, g, gen_random_uuid() AS grid_id, gen_random_uuid() AS branch_id, gen_random_uuid() AS committee_id
        FROM bench_community, generate_series(1, ${GRIDS_PER_COMMUNITY}) g`);
    await client.query(`UPDATE bench_grid b SET committee_id = f.committee_id FROM bench_grid f WHERE f.c = b.c AND f.g = 1`);
    await client.query(`INSERT INTO party_organization (id, type, tags, formal_name, short_name, name_key, division_code)
      SELECT committee_id, 'committee', '{community}', '中共' || d.name || '委员会', d.short_name || '党委', 'committee|' || d.code, b.code
        FROM bench_grid b JOIN division d ON d.code = b.code WHERE b.g = 1`);
    await client.query(`INSERT INTO grid (id, community_code, number, name) SELECT grid_id, code, g, '第' || g || '网格' FROM bench_grid`);
    await client.query(`INSERT INTO party_organization (id, parent_id, type, tags, short_name, name_key, division_code, grid_id)
      SELECT branch_id, committee_id, 'branch', '{grid}', '第' || g || '网格党支部', 'branch|' || code || '/g' || g, code, grid_id FROM bench_grid`);
    await client.query(`INSERT INTO party_organization (parent_id, type, tags, short_name, name_key, division_code)
      SELECT branch_id, 'group', '{building}', '第' || g || '网格第' || k || '党小组', 'group|' || code || '/g' || g || '/' || k, code
        FROM bench_grid, generate_series(1, ${GROUPS_PER_BRANCH}) k`);
    await client.query(`INSERT INTO person (id, name, name_key, name_pinyin, gender, birth_date, id_number_cipher, id_number_hmac, id_number_masked, id_digits,
                                            phone_cipher, phone_hmac, phone_masked)
      SELECT ${PERSON_ID}, n.name, n.name_key, n.name_pinyin, CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END, DATE '1950-01-01' + (i % 20000),
             'v1.' || md5('id' || i), md5('id' || i) || md5('hid' || i), '150105************',
             md5('digits' || (i % 10000)) || md5('hdigits' || (i % 10000)), 'v1.' || md5('ph' || i), md5('ph' || i) || md5('hph' || i), '138****' || lpad((i % 10000)::text, 4, '0')
        FROM generate_series(1, $1::int) i JOIN bench_name n ON n.k = i % ${names.length}`, [persons]);
    await client.query(`INSERT INTO membership (person_id, organization_id, category, status, joined_on, joined_precision)
      SELECT ${PERSON_ID}, b.branch_id, CASE WHEN i % 20 = 0 THEN 'probationary' ELSE 'full' END, 'current', DATE '1990-01-01' + (i % 10000), 'day'
        FROM generate_series(1, $1::int) i JOIN bench_grid b ON b.c = (i - 1) / ${membersPerCommunity} AND b.g = i % ${GRIDS_PER_COMMUNITY} + 1`, [persons]);
    await client.query(`INSERT INTO role_assignment (person_id, role, organization_id, division_code)
      SELECT ${PERSON_ID}, 'central_household', b.branch_id, b.code
        FROM generate_series(50, $1::int, 50) i JOIN bench_grid b ON b.c = (i - 1) / ${membersPerCommunity} AND b.g = i % ${GRIDS_PER_COMMUNITY} + 1`, [persons]);
    const { rows: committees } = await client.query(`SELECT DISTINCT committee_id::text AS id FROM bench_grid`);
    await client.query('COMMIT');
    // Measured as a registry in service, not one bulk-loaded a moment ago: vacuumed (hint bits and the
    // visibility map set, no autovacuum of a million fresh rows competing mid-measurement) and checkpointed.
    await client.query('VACUUM (ANALYZE)');
    await client.query('CHECKPOINT');
    const sample = Array.from({ length: Math.min(persons, 2000) }, (_, k) => benchPersonId(1 + Math.floor((k * persons) / Math.min(persons, 2000))));
    return { persons, communities, personIds: sample, committeeIds: committees.map((r) => r.id), names };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

import { DataSource } from 'typeorm';
import { dataSourceOptions, Person } from '../libs/database/src';
import { comparePersons, loadMatchWeights, PersonEvidence, scorePair } from '../libs/matching/src';
import { personNameKeys } from '../libs/naming/src';
import { addMemberships, blockingKeys, finishPair, PERSON_COLUMNS, personEvidenceOf, residenceKey, scorePairsInSql, SqlPair } from '../libs/registry/src';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * The registry's candidates are compared and scored in SQL (scorePairsInSql, finished by
 * finishPair); the rest of matching relies on that giving what comparePersons and scorePair give
 * for the same pair. Registry persons and claims below vary every field over every level.
 */
const weights = loadMatchWeights();
const ORG_A = '00000000-0000-7000-8000-00000000000a';
const ORG_B = '00000000-0000-7000-8000-00000000000b';

interface RegistryRow {
  name: string; gender: 'M' | 'F' | null; birth: string | null; precision: 'day' | 'month' | 'year' | null;
  idHmac?: string; idMasked?: string; idDigits?: string; idEvidence?: object; phone?: string; residence?: string;
  memberships: { org: string; joined: string | null; precision: 'day' | 'month' | null }[];
}

const REGISTRY: RegistryRow[] = [
  { name: '张伟', gender: 'M', birth: '1985-03-12', precision: 'day', idHmac: 'h1', idMasked: '150102********1234', idDigits: 'd1', phone: 't1', residence: '青城小区3号楼2单元301',
    memberships: [{ org: ORG_A, joined: '2010-07-01', precision: 'day' }] },
  { name: '张玮', gender: 'F', birth: '1985-03-01', precision: 'month', idDigits: 'd1', idEvidence: { kind: 'masked', prefix: '150102', digits: 'd1' }, phone: 't2',
    residence: '青城小区3号楼2单元302', memberships: [{ org: ORG_B, joined: '2011-05-01', precision: 'month' }] },
  { name: '宝音图', gender: 'M', birth: '1990-01-01', precision: 'year', idEvidence: { kind: 'mistyped', prefix: '150102199001', near: ['h9', 'h1'] },
    residence: '青城小区5号楼1单元101', memberships: [] },
  { name: '李娜', gender: null, birth: null, precision: null, idEvidence: { kind: 'damaged', prefix: '15010219850312' }, phone: 't1', residence: '幸福家园1号楼1单元101', memberships: [] },
  { name: '王芳', gender: 'F', birth: '1985-03-12', precision: 'day', idHmac: 'h5', idMasked: '150103********5678', idDigits: 'd5', phone: 't5',
    memberships: [{ org: ORG_A, joined: '2012-01-01', precision: 'day' }] },
  { name: '张伟', gender: 'M', birth: '1986-01-01', precision: 'day', idEvidence: { kind: 'mistyped', prefix: '150102198601', near: ['h7'] },
    memberships: [{ org: ORG_A, joined: '2012-01-01', precision: 'day' }, { org: ORG_B, joined: null, precision: null }] },
  { name: '宝音', gender: 'F', birth: '1990-06-01', precision: 'month', residence: '不知道', memberships: [{ org: ORG_B, joined: '2001-02-03', precision: 'day' }] },
];

function claim(name: string, fields: Partial<PersonEvidence>): PersonEvidence {
  const keys = personNameKeys(name);
  return {
    name, nameKey: keys.exact, phonetic: keys.phonetic, gender: null, birthDate: null, idHmac: null, idPrefix: null, idDigits: null, idNear: [],
    phoneHmac: null, residenceKey: null, organizationIds: [], communityCodes: [], joinDates: [], ...fields,
  };
}

describe('person pairs compared and scored in SQL equal comparePersons and scorePair (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let registry: (PersonEvidence & { id: string })[];
  let claims: PersonEvidence[];
  let compared: SqlPair[];

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = new DataSource(dataSourceOptions(database.url));
    await dataSource.initialize();
    const communities = ['150102001001', '150102001002'];
    for (const [k, code] of communities.entries()) {
      await dataSource.query(`INSERT INTO division (code, name, short_name, name_key, level, provenance) VALUES ($1, $2, $2, $2, 'community', 'test')`, [code, `社区${k}`]);
    }
    for (const [id, code] of [[ORG_A, communities[0]], [ORG_B, communities[1]]]) {
      await dataSource.query(`INSERT INTO party_organization (id, type, short_name, name_key, division_code) VALUES ($1, 'branch', $2, $2, $3)`, [id, id, code]);
    }
    for (const p of REGISTRY) {
      const keys = personNameKeys(p.name);
      const [{ id }] = await dataSource.query(
        `INSERT INTO person (name, name_key, name_pinyin, gender, birth_date, birth_precision, id_number_hmac, id_number_masked, id_digits, id_evidence, phone_hmac, residence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::text`,
        [p.name, keys.exact, keys.phonetic, p.gender, p.birth, p.precision, p.idHmac ?? null, p.idMasked ?? null, p.idDigits ?? null, p.idEvidence ?? null, p.phone ?? null, p.residence ?? null]);
      for (const m of p.memberships) {
        await dataSource.query(`INSERT INTO membership (person_id, organization_id, status, joined_on, joined_precision) VALUES ($1, $2, 'current', $3, $4)`, [id, m.org, m.joined, m.precision]);
      }
    }
    const rows: Person[] = await dataSource.query(`SELECT ${PERSON_COLUMNS} FROM person p ORDER BY p.id`);
    registry = rows.map((row) => ({ ...personEvidenceOf(row), id: row.id }));
    await addMemberships(dataSource.manager, registry);
    const [cA, cB] = communities;
    claims = [
      claim('张伟', { gender: 'M', birthDate: '1985-03-12', idHmac: 'h1', idPrefix: '15010219850312', idDigits: 'd1', phoneHmac: 't1', residenceKey: '青城/3/2/301', organizationIds: [ORG_A], communityCodes: [cA], joinDates: ['2010-07-01'] }),
      claim('张卫', { gender: 'F', birthDate: '1985-03', idPrefix: '150102', idDigits: 'd1', phoneHmac: 't3', residenceKey: '青城/3//', organizationIds: [ORG_B], communityCodes: [cB] }),
      claim('宝音', { gender: 'M', birthDate: '1990', idNear: ['h1'], communityCodes: [cA], joinDates: ['2010-07-01'], residenceKey: '青城/5/1/101' }),
      claim('王芳', { gender: 'F', birthDate: '1985-03-12', idHmac: 'h6', idPrefix: '15010319850312', idDigits: 'd6', organizationIds: [ORG_A], communityCodes: [cA] }),
      claim('李娜', { gender: 'F', idPrefix: '150102198', phoneHmac: 't1', residenceKey: '幸福家园/1/1/101', joinDates: ['2001-02-03'] }),
      claim('张伟', { birthDate: '1986', idPrefix: '150102', idDigits: 'd7', idNear: ['h5', 'h7'], organizationIds: [ORG_A], joinDates: ['2012-01-01'] }),
      claim('宝音图', { gender: 'F', birthDate: '1990-07', residenceKey: '青城/3/2/301', organizationIds: [ORG_B], communityCodes: [cB], joinDates: ['2001-02-03'] }),
      claim('王方', { gender: 'F', birthDate: '1985-04-12', idHmac: 'h5', idPrefix: '15010319850412', idDigits: 'd5', phoneHmac: 't5', organizationIds: [ORG_B] }),
    ];
    compared = await scorePairsInSql(dataSource.manager, claims.map((evidence, slot) => ({ slot, evidence })), { sql: 'SELECT id FROM person', parameters: [] }, weights, null);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const personOf = (id: string) => registry.find((p) => p.id === id)!;

  it('compares exactly the pairs that share a blocking key', () => {
    const expected = claims.flatMap((c, slot) => registry.filter((p) => blockingKeys(p).some((key) => blockingKeys(c).includes(key))).map((p) => `${slot} ${p.id}`));
    expect(compared.map((pair) => `${pair.slot} ${pair.personId}`).sort()).toEqual(expected.sort());
  });

  it('gives every pair the levels, veto, identity agreement and score of comparePersons and scorePair', () => {
    for (const pair of compared) {
      const claimed = claims[pair.slot];
      const person = personOf(pair.personId);
      const inNode = comparePersons(claimed, person);
      const { comparison, scored } = finishPair(pair, claimed, weights, residenceKey);
      expect({ pair: `${claimed.name} ~ ${person.name}`, comparison }).toEqual({ pair: `${claimed.name} ~ ${person.name}`, comparison: inNode });
      expect(scored).toEqual(scorePair(inNode, weights));
      // SQL's own sum: equal to Node's where it settled every field, an upper bound where it left some to Node.
      const open = pair.levels.name === null || pair.personResidence !== null;
      const exact = inNode.fields.reduce((sum, f) => sum + (f.level && weights.fields[f.field][f.level] ? Math.log2(weights.fields[f.field][f.level].m / weights.fields[f.field][f.level].u) : 0), 0);
      if (open) expect(pair.bound).toBeGreaterThanOrEqual(exact - 1e-9);
      else expect(pair.settledScore).toBeCloseTo(exact, 9);
    }
  });

  it('covers every level of every field, both vetoes and both identity verdicts (the comparison above is not vacuous)', () => {
    const seen = new Set<string>();
    for (const pair of compared) {
      const inNode = comparePersons(claims[pair.slot], personOf(pair.personId));
      for (const f of inNode.fields) if (f.level) seen.add(`${f.field}.${f.level}`);
      seen.add(`veto: ${inNode.veto}`);
      seen.add(`identity: ${inNode.identityAgrees}`);
    }
    const expected = Object.entries(weights.fields).flatMap(([field, levels]) => Object.keys(levels).map((level) => `${field}.${level}`));
    expect([...seen].filter((s) => !s.startsWith('veto') && !s.startsWith('identity')).sort()).toEqual(expected.sort());
    for (const s of ['veto: the valid ID numbers differ', 'veto: the visible ID digits disagree', 'veto: null', 'identity: true', 'identity: false']) expect(seen.has(s)).toBe(true);
  });

  it('returns, with reviewAbove, every pair that can be more than apart and no vetoed pair or pair of two valid IDs', async () => {
    const kept = await scorePairsInSql(dataSource.manager, claims.map((evidence, slot) => ({ slot, evidence })), { sql: 'SELECT id FROM person', parameters: [] }, weights, weights.reviewAbove);
    const keptKeys = new Set(kept.map((pair) => `${pair.slot} ${pair.personId}`));
    const mayMatter = compared.filter((pair) => {
      const claimed = claims[pair.slot];
      const person = personOf(pair.personId);
      return !(claimed.idHmac && person.idHmac) && scorePair(comparePersons(claimed, person), weights).decision !== 'apart';
    });
    expect(mayMatter.length).toBeGreaterThan(0);
    for (const pair of mayMatter) expect(keptKeys.has(`${pair.slot} ${pair.personId}`)).toBe(true);
    for (const pair of kept) {
      const inNode = comparePersons(claims[pair.slot], personOf(pair.personId));
      expect(inNode.veto).toBeNull();
      expect(claims[pair.slot].idHmac && personOf(pair.personId).idHmac).toBeFalsy();
    }
    expect(kept.length).toBeLessThan(compared.length);
  });
});

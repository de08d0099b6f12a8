import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ImportsService } from '../libs/ingestion/src';
import { PersonFacts } from '../libs/registry/src';
import { MergeSession, MergeSessionFactory } from '../libs/registry/src/merge-session';
import { HEXI, writeS6, XINGKANG } from './support/fixtures';
import { validCitizenId, writeS1, XINGKANG_COMMITTEE } from './support/member-roster';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const XINGKANG_CODE = '150105001019';
const HEXI_CODE = '150102004008';
const HEXI_COMMITTEE = '中共呼和浩特市新城区东街街道河西社区委员会';

const member = (n: number, name: string, birth: string, seq: string, organization: string, residence: string) =>
  `${n},${name},男,汉族,${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)},${validCitizenId('150105', birth, seq)},大学,正式党员,2005-07-01,2006-07-01,${organization},,,${residence}`;

/** A role holder as a ledger names it: the name alone, where it is held. */
interface Ask { name: string; community?: string; organization?: 'committee'; compound?: string; building?: string }

// Namesakes in one community told apart by their building or not at all, a spelling of a name, a
// namesake in another community only, and names no one bears.
const ASKS: Ask[] = [
  { name: '王建国', community: XINGKANG_CODE },
  { name: '张伟', community: XINGKANG_CODE },
  { name: '张伟', community: XINGKANG_CODE, compound: '兴康小区', building: '1' },
  { name: '张伟', community: XINGKANG_CODE, compound: '兴康小区', building: '9' },
  { name: '李强', community: XINGKANG_CODE, compound: '兴康小区', building: '3' },
  { name: '李强', organization: 'committee' },
  { name: '苏合巴鲁', community: XINGKANG_CODE },
  { name: '刘洋', community: XINGKANG_CODE },
  { name: '刘洋', community: HEXI_CODE },
  { name: '刘洋', organization: 'committee', community: XINGKANG_CODE },
  { name: '赵六', community: XINGKANG_CODE },
];

const nameOnly = (name: string): PersonFacts => ({
  name, gender: null, birthDate: null, birthPrecision: null, ethnicityCode: null, education: null, workplace: null, residence: '兴康小区6号楼1单元101', id: null, idEvidence: null, phone: null,
});

/**
 * Role holders named without a phone or ID are looked up for a whole run of records at once
 * (NamedHolderIndex): the answers must be those of looking up each name on its own, namesakes
 * and all, also after the run itself created a person and gave them a role.
 */
describe('role holders read per run answer as the look-up of one name (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: TestingModule;
  let db: DataSource;
  let committeeId: string;

  const importFile = async (path: string) => {
    const imports = app.get(ImportsService);
    const summary = await imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);
    expect(summary.status).toBe('completed');
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startRegistry('in-process');
    db = app.get<DataSource>(getDataSourceToken());
    await importFile(writeS6([XINGKANG, HEXI]));
    await importFile(writeS1([
      member(1, '王建国', '19750304', '123', XINGKANG_COMMITTEE, '兴康小区5号楼1单元101'),
      member(2, '张伟', '19800101', '131', XINGKANG_COMMITTEE, '兴康小区1号楼2单元201'),
      member(3, '张伟', '19810202', '151', XINGKANG_COMMITTEE, '兴康小区2号楼1单元102'),
      member(4, '李强', '19700303', '171', XINGKANG_COMMITTEE, '兴康小区3号楼1单元301'),
      member(5, '李强', '19720404', '191', XINGKANG_COMMITTEE, '兴康小区3号楼2单元402'),
      member(6, '苏和巴鲁', '19660606', '211', XINGKANG_COMMITTEE, '兴康小区7号楼1单元501'),
      member(7, '刘洋', '19770707', '231', HEXI_COMMITTEE, '河西小区1号楼1单元101'),
    ], '党员信息导出.csv'));
    [{ id: committeeId }] = await db.query(`SELECT id::text FROM party_organization WHERE division_code = $1 AND 'community' = ANY(tags)`, [XINGKANG_CODE]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  /** Every ask's answer, by the names and homes of the persons it found (ids differ between transactions). */
  async function answers(session: MergeSession, manager: EntityManager): Promise<string[]> {
    const out: string[] = [];
    for (const ask of ASKS) {
      const found = await session.persons.namedHolder(ask.name, { communityCode: ask.community ?? null, organizationId: ask.organization ? committeeId : null }, { compound: ask.compound, buildingKey: ask.building });
      const ids = found.kind === 'unique' ? [found.personId] : found.kind === 'ambiguous' ? found.personIds : [];
      const persons: { name: string; residence: string }[] = ids.length === 0 ? [] : await manager.query(
        `SELECT name, residence FROM person WHERE id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], id)`, [ids]);
      out.push(`${ask.name}@${ask.community ?? ask.organization}${ask.compound ? `/${ask.compound}${ask.building}` : ''}: ${found.kind} ${persons.map((p) => `${p.name}(${p.residence})`).join(' ')}`);
    }
    return out;
  }

  /**
   * The answers before and after the run creates 赵六 and a third 李强 as building leads, in a
   * transaction rolled back; with `readAhead`, the run's names are read at once first, and the
   * look-ups before any write must not ask the registry again.
   */
  async function run(readAhead: boolean): Promise<{ before: string[]; after: string[]; queriesBefore: number }> {
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    try {
      const manager = runner.manager;
      const session = app.get(MergeSessionFactory).open(manager);
      if (readAhead) await session.persons.holders.prepare(ASKS.map((a) => a.name), [XINGKANG_CODE, HEXI_CODE]);
      const holders = jest.spyOn(manager, 'query');
      for (const ask of ASKS) await session.persons.namedHolder(ask.name, { communityCode: ask.community ?? null, organizationId: ask.organization ? committeeId : null });
      const queriesBefore = holders.mock.calls.length;
      holders.mockRestore();
      const before = await answers(session, manager);
      const origin = { sourceRecordId: '0', batchId: '00000000-0000-0000-0000-000000000000', source: 'S2' };
      for (const name of ['赵六', '李强']) {
        const [lead] = await session.persons.resolveMany([{ facts: nameOnly(name), communityCode: XINGKANG_CODE, recordKey: `lead-${name}`, origin }]);
        await session.roles.assign(lead.personId, 'building_lead', { divisionCode: XINGKANG_CODE }, origin);
      }
      return { before, after: await answers(session, manager), queriesBefore };
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('finds the same persons, the same namesakes and the same no one, from one query for the run', async () => {
    const oneByOne = await run(false);
    const readAhead = await run(true);
    expect(oneByOne.queriesBefore).toBe(ASKS.length);
    expect(readAhead.queriesBefore).toBe(0);
    expect(readAhead.before).toEqual(oneByOne.before);
    // The namesakes stay namesakes: nothing is guessed from the run's reading.
    expect(readAhead.before).toContain('李强@150105001019/兴康小区3: ambiguous 李强(兴康小区3号楼1单元301) 李强(兴康小区3号楼2单元402)');
    expect(readAhead.before).toContain('张伟@150105001019/兴康小区1: unique 张伟(兴康小区1号楼2单元201)');
    expect(readAhead.before).toContain('刘洋@150105001019: none ');
    expect(readAhead.before).toContain('刘洋@150102004008: unique 刘洋(河西小区1号楼1单元101)');
  });

  it('answers as the registry does after the run itself made a lead and a third namesake', async () => {
    const oneByOne = await run(false);
    const readAhead = await run(true);
    expect(readAhead.after).toEqual(oneByOne.after);
    expect(readAhead.after).toContain('赵六@150105001019: unique 赵六(兴康小区6号楼1单元101)');
    expect(readAhead.after.find((a) => a.startsWith('李强@150105001019/'))).toMatch(/ambiguous( 李强\([^)]*\)){3}$/);
  });
});

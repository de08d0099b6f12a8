import { Injectable } from '@nestjs/common';
import { MembershipCategory, MembershipStatus, Role } from '@qc/database';
import { foldSyllable, personNameKeys } from '@qc/naming';
import { PersonalDataReader, PersonalDataReaderContext, PiiCipher, ProtectedPersonalData } from '@qc/pii';
import { Page, QueryInputError } from './cursor';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, escapeLike, pageById, SqlFilter } from './sql';

export interface PersonSummaryView {
  id: string;
  name: string;
  gender: 'M' | 'F' | null;
  /** The year only (its first day, precision 'year') unless the caller may read personal data. */
  birthDate: string | null;
  birthPrecision: 'day' | 'month' | 'year' | null;
  /** Masked (150105************) unless the caller may read personal data. */
  idNumber: string | null;
  /** Masked (138****5678) unless the caller may read personal data. */
  phone: string | null;
  /** The organization of the current membership, if any. */
  organizationId: string | null;
  category: MembershipCategory | null;
}

export interface MembershipView {
  organizationId: string;
  category: MembershipCategory | null;
  status: MembershipStatus;
  joinedOn: string | null;
  joinedPrecision: 'day' | 'month' | 'year' | null;
  regularizedOn: string | null;
}

export interface RoleView {
  role: Role;
  organizationId: string | null;
  divisionCode: string | null;
  gridId: string | null;
  compoundId: string | null;
  buildingId: string | null;
  unit: number | null;
  address: string | null;
}

export interface PersonView extends Omit<PersonSummaryView, 'organizationId' | 'category'> {
  ethnicityCode: string | null;
  education: string | null;
  workplace: string | null;
  residence: string | null;
  memberships: MembershipView[];
  roles: RoleView[];
}

export interface PersonFilter {
  /** A name or its beginning, in characters (张伟, 乌云·其其格) or pinyin (zhang wei). */
  q?: string;
  organizationId?: string;
  /** 12-digit code: persons with a current membership in an organization of the division, or a role in it. */
  divisionCode?: string;
  role?: Role;
  after?: string;
  limit: number;
}

const LIST = 'persons';
/** The person columns a list shows (PROTECTED included). */
const PERSON_SUMMARY_COLUMNS = 'id, name, gender, birth_date, birth_precision, id_number_cipher, id_number_masked, phone_cipher, phone_masked';
const PROTECTED = `to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.birth_precision AS "birthPrecision", p.id_number_cipher AS "idNumberCipher", p.id_number_masked AS "idNumberMasked", p.phone_cipher AS "phoneCipher", p.phone_masked AS "phoneMasked"`;

/**
 * The name-search keys of a query, built like person.name_key and person.name_pinyin were
 * (personNameKeys), so 乌云·其其格 finds 乌云其其格 and 额尔顿 finds 额尔敦 (same folded pinyin).
 * Latin input is read as pinyin syllables separated by spaces.
 */
export function nameSearchKeys(q: string): { nameKey: string | null; pinyin: string } {
  if (/^[a-z\s]+$/i.test(q)) {
    const syllables = q.trim().toLowerCase().split(/\s+/);
    return { nameKey: null, pinyin: syllables.map(foldSyllable).join(' ') };
  }
  const keys = personNameKeys(q);
  if (keys.exact === '') throw new QueryInputError('the name to search for has no letters');
  return { nameKey: keys.exact, pinyin: keys.phonetic };
}

@Injectable()
export class PersonQuery {
  constructor(
    @InjectReadDatabase() private readonly dataSource: ReadDatabase,
    private readonly personalData: PersonalDataReader,
    private readonly cipher: PiiCipher,
  ) {}

  async list(filter: PersonFilter, reader: PersonalDataReaderContext): Promise<Page<PersonSummaryView>> {
    const f = new SqlFilter();
    let persons = 'person p';
    if (filter.q) {
      const keys = nameSearchKeys(filter.q);
      // Prefix LIKEs on the (key text_pattern_ops, birth_date) indexes (migration CompactLineageAndLeanerIndexes); OR becomes a BitmapOr.
      const byPinyin = `name_pinyin LIKE ${f.param(`${escapeLike(keys.pinyin)}%`)}`;
      const named = keys.nameKey === null ? byPinyin : `(name_key LIKE ${f.param(`${escapeLike(keys.nameKey)}%`)} OR ${byPinyin})`;
      // The namesakes first, then their page in id order. Without the fence (OFFSET 0) the planner,
      // overestimating a rare name, walks the primary key in id order hoping to meet a page of them
      // early: at a million persons, 40,000 rows and seconds for one page of a name 1,000 people share.
      persons = `(SELECT ${PERSON_SUMMARY_COLUMNS} FROM person WHERE ${named} OFFSET 0) p`;
    }
    if (filter.organizationId) {
      f.where(`p.id IN (SELECT m.person_id FROM membership m WHERE m.organization_id = ${f.param(filter.organizationId)} AND m.status = 'current')`);
    }
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      const range = `BETWEEN ${f.param(from)} AND ${f.param(to)}`;
      f.where(`(p.id IN (SELECT m.person_id FROM membership m JOIN party_organization o ON o.id = m.organization_id WHERE m.status = 'current' AND o.division_code ${range})
             OR p.id IN (SELECT r.person_id FROM role_assignment r WHERE r.division_code ${range}))`);
    }
    if (filter.role) f.where(`p.id IN (SELECT r.person_id FROM role_assignment r WHERE r.role = ${f.param(filter.role)})`);
    const page = await pageById<Pick<PersonSummaryView, 'id' | 'name' | 'gender'> & ProtectedPersonalData>(this.dataSource, LIST, `
      SELECT p.id, p.name, p.gender, ${PROTECTED} FROM ${persons}`, 'p.id', f, filter);
    // Memberships of the page only: joined before the LIMIT, a common name would look up every namesake's.
    const [current, shown] = await Promise.all([this.currentMemberships(page.items.map((p) => p.id)), this.personalData.show(reader, page.items, 'api: person list')]);
    return {
      items: page.items.map((r) => ({
        id: r.id, name: r.name, gender: r.gender, ...shown.get(r.id)!,
        organizationId: current.get(r.id)?.organizationId ?? null, category: current.get(r.id)?.category ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** person id → its current membership (the latest, should a review leave two). */
  private async currentMemberships(personIds: string[]): Promise<Map<string, { organizationId: string; category: MembershipCategory | null }>> {
    if (personIds.length === 0) return new Map();
    const rows: { personId: string; organizationId: string; category: MembershipCategory | null }[] = await this.dataSource.query(`
      SELECT DISTINCT ON (m.person_id) m.person_id AS "personId", m.organization_id AS "organizationId", m.category
        FROM membership m WHERE m.person_id = ANY($1::uuid[]) AND m.status = 'current' ORDER BY m.person_id, m.updated_at DESC`, [personIds]);
    return new Map(rows.map((r) => [r.personId, r]));
  }

  get(id: string, reader: PersonalDataReaderContext): Promise<PersonView | null> {
    return this.load(id, reader, 'api: person');
  }

  // One round trip: memberships and roles come along as JSON arrays (a round trip costs more than
  // the aggregation at the API's concurrency).
  private async load(id: string, reader: PersonalDataReaderContext, purpose: string): Promise<PersonView | null> {
    const [person]: (Omit<PersonView, 'idNumber' | 'phone'> & ProtectedPersonalData)[] = await this.dataSource.query(`
      SELECT p.id, p.name, p.gender,
             p.ethnicity_code AS "ethnicityCode", p.education, p.workplace, p.residence, ${PROTECTED},
             COALESCE((SELECT json_agg(json_build_object(
                 'organizationId', m.organization_id, 'category', m.category, 'status', m.status, 'joinedOn', to_char(m.joined_on, 'YYYY-MM-DD'),
                 'joinedPrecision', m.joined_precision, 'regularizedOn', to_char(m.regularized_on, 'YYYY-MM-DD'))
               ORDER BY m.status = 'current' DESC, m.joined_on NULLS LAST, m.id) FROM membership m WHERE m.person_id = p.id), '[]') AS memberships,
             COALESCE((SELECT json_agg(json_build_object(
                 'role', r.role, 'organizationId', r.organization_id, 'divisionCode', r.division_code, 'gridId', r.grid_id,
                 'compoundId', r.compound_id, 'buildingId', r.building_id, 'unit', r.unit, 'address', r.address)
               ORDER BY r.role, r.id) FROM role_assignment r WHERE r.person_id = p.id), '[]') AS roles
        FROM person p WHERE p.id = $1`, [id]);
    if (!person) return null;
    const shown = await this.personalData.show(reader, [person], purpose);
    return {
      id, name: person.name, gender: person.gender, ...shown.get(id)!,
      ethnicityCode: person.ethnicityCode, education: person.education, workplace: person.workplace, residence: person.residence,
      memberships: person.memberships, roles: person.roles,
    };
  }

  /**
   * The person a full ID number names, matched through its keyed hash (the clear number is never
   * stored or logged). Null when no person has it.
   */
  async lookupByIdNumber(idNumber: string, reader: PersonalDataReaderContext): Promise<PersonView | null> {
    const [row]: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM person WHERE id_number_hmac = $1', [this.cipher.hmac('id', idNumber)]);
    if (row) return this.load(row.id, reader, 'api: lookup by ID number');
    // Asking tells whether the number is registered: a look-up that finds nobody is audited too.
    await this.personalData.audit(reader, 'person', [{ entityId: null, fields: ['idNumber'] }], 'api: lookup by ID number, nobody found');
    return null;
  }
}

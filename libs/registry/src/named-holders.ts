import { personNameKeys } from '@qc/naming';
import { EntityManager } from 'typeorm';
import { residenceKey } from './residence-key';
import { NamedCandidate, NamedHolder, pickNamedHolder, RolePlace } from './role-holder';

/** Where a role holder's namesakes are looked for: the organization's members, the community's members and role holders. */
export interface HolderScope {
  organizationId?: string | null;
  communityCode?: string | null;
}

/** A registry person bearing a looked-up name, with every place that can put them in a role's scope. */
interface HolderRow {
  id: string;
  name: string;
  nameKey: string;
  namePinyin: string;
  residence: string | null;
  /** Organizations of the person's current memberships, and those organizations' communities. */
  memberOf: string[];
  memberIn: string[];
  /** Organizations and communities of the person's roles. */
  roleOf: string[];
  roleIn: string[];
}

const HOLDER_COLUMNS = `p.id::text, p.name, p.name_key AS "nameKey", p.name_pinyin AS "namePinyin", p.residence,
  ARRAY(SELECT m.organization_id::text FROM membership m WHERE m.person_id = p.id AND m.status = 'current') AS "memberOf",
  ARRAY(SELECT o.division_code FROM membership m JOIN party_organization o ON o.id = m.organization_id
         WHERE m.person_id = p.id AND m.status = 'current' AND o.division_code IS NOT NULL) AS "memberIn",
  ARRAY(SELECT r.organization_id::text FROM role_assignment r WHERE r.person_id = p.id AND r.organization_id IS NOT NULL) AS "roleOf",
  ARRAY(SELECT r.division_code FROM role_assignment r WHERE r.person_id = p.id AND r.division_code IS NOT NULL) AS "roleIn"`;

/**
 * Role holders named without a phone or ID (楼栋长, 书记, 党员中心户), found for a whole run of records
 * at once: one query reads every registry person bearing one of the run's names in one of its
 * scopes, and each record's namesakes are then picked in memory, exactly as the query of one name
 * would pick them. A write of the run can change an answer (a lead created, a role assigned, a
 * name or home updated): the names of the persons it touched are read again by the query of one
 * name, and a write whose person is unknown here, or a community changing under an organization,
 * ends the run's reading altogether. The same for the phones a run asks about.
 */
export class NamedHolderIndex {
  private rows: HolderRow[] = [];
  /** n:<name key> and p:<phonetic key> the run's query read, with the communities and organizations it read them in. */
  private keys = new Set<string>();
  private communities = new Set<string>();
  private organizations = new Set<string>();
  /** Name keys of persons written since the run's query: their answers are asked of the registry again. */
  private stale = new Set<string>();
  private phones = new Set<string>();
  private phonesOnRecord = new Set<string>();
  private stalePhones = new Set<string>();
  /**
   * Name keys of the persons seen while the run's reading is held, so a write to one says which
   * names it may change (a write to any other ends the reading). Only then: a roster merge sees
   * every one of its million persons and holds no reading.
   */
  private keysOf = new Map<string, Set<string>>();

  constructor(private readonly manager: EntityManager) {}

  /**
   * Reads the registry persons bearing one of these names as members or role holders in one of
   * these communities (or of their organizations), and which of these phones the registry has on
   * record, for the records of one run; the previous run's reading is dropped.
   */
  async prepare(names: string[], communities: string[], phones: string[] = []): Promise<void> {
    this.clear();
    const exact = new Set<string>();
    const phonetic = new Set<string>();
    for (const name of names) {
      const keys = personNameKeys(name);
      if (!keys.exact) continue;
      exact.add(keys.exact);
      if (keys.phonetic) phonetic.add(keys.phonetic);
    }
    const codes = [...new Set(communities)];
    if (exact.size > 0 && codes.length > 0) {
      // A scope's organization is read in full when the reading holds its community's organizations.
      const organizations: { id: string }[] = await this.manager.query(`SELECT o.id::text FROM party_organization o WHERE o.division_code = ANY($1)`, [codes]);
      const rows: HolderRow[] = await this.manager.query(`
        SELECT ${HOLDER_COLUMNS} FROM person p
         WHERE (p.name_key = ANY($1) OR p.name_pinyin = ANY($2))
           AND (EXISTS (SELECT 1 FROM membership m JOIN party_organization o ON o.id = m.organization_id
                         WHERE m.person_id = p.id AND m.status = 'current' AND o.division_code = ANY($3))
            OR EXISTS (SELECT 1 FROM role_assignment r WHERE r.person_id = p.id AND (r.organization_id = ANY($4::uuid[]) OR r.division_code = ANY($3))))
         ORDER BY p.id`, [[...exact], [...phonetic], codes, organizations.map((o) => o.id)]);
      this.rows = rows;
      for (const key of exact) this.keys.add(`n:${key}`);
      for (const key of phonetic) this.keys.add(`p:${key}`);
      for (const row of rows) this.seen(row.id, row.nameKey, row.namePinyin);
      for (const code of codes) this.communities.add(code);
      for (const { id } of organizations) this.organizations.add(id);
    }
    const asked = [...new Set(phones)];
    if (asked.length > 0) {
      const found: { phoneHmac: string }[] = await this.manager.query(
        `SELECT DISTINCT p.phone_hmac AS "phoneHmac" FROM person p WHERE p.phone_hmac = ANY($1)`, [asked]);
      for (const phone of asked) this.phones.add(phone);
      for (const { phoneHmac } of found) this.phonesOnRecord.add(phoneHmac);
    }
  }

  /** Forgets the run's reading: every answer goes to the registry again. */
  clear(): void {
    this.rows = [];
    this.keys.clear();
    this.communities.clear();
    this.organizations.clear();
    this.stale.clear();
    this.phones.clear();
    this.phonesOnRecord.clear();
    this.stalePhones.clear();
    this.keysOf.clear();
  }

  /**
   * The role holder of this name in this scope (see pickNamedHolder): from the run's reading when
   * it still answers for the name and the scope, else from the registry.
   */
  async find(name: string, scope: HolderScope, place?: RolePlace): Promise<NamedHolder> {
    const keys = personNameKeys(name);
    if (!keys.exact || (!scope.organizationId && !scope.communityCode)) return { kind: 'none' };
    const rows = this.answers(keys.exact, keys.phonetic, scope) ? this.inScope(keys.exact, keys.phonetic, scope) : await this.query(keys.exact, keys.phonetic, scope);
    const candidates: NamedCandidate[] = rows.map((r) => ({
      id: r.id, name: r.name, inOrganization: !!scope.organizationId && r.memberOf.includes(scope.organizationId), residenceKey: residenceKey(r.residence),
    }));
    return pickNamedHolder(name, candidates, place);
  }

  /** Whether a registry person has this phone (its keyed hash) on record. */
  async phoneOnRecord(phoneHmac: string): Promise<boolean> {
    if (this.phones.has(phoneHmac) && !this.stalePhones.has(phoneHmac)) return this.phonesOnRecord.has(phoneHmac);
    const rows: unknown[] = await this.manager.query(`SELECT 1 FROM person p WHERE p.phone_hmac = $1 LIMIT 1`, [phoneHmac]);
    return rows.length > 0;
  }

  /** A person this merge read or wrote, by its name keys (every spelling it had: a write may change them). */
  seen(personId: string, nameKey: string, namePinyin: string | null): void {
    if (this.keys.size === 0) return;
    let keys = this.keysOf.get(personId);
    if (!keys) this.keysOf.set(personId, (keys = new Set()));
    keys.add(`n:${nameKey}`);
    if (namePinyin) keys.add(`p:${namePinyin}`);
  }

  /** A person was created or changed, or took a role or a membership: answers for its names are read again. */
  touched(personId: string): void {
    const keys = this.keysOf.get(personId);
    if (!keys) {
      // Which names it bears is not known here: no answer of the run's reading can be trusted.
      if (this.keys.size > 0) this.clear();
      return;
    }
    for (const key of keys) this.stale.add(key);
  }

  /** A phone was written to or taken from a person: whether it is on record is asked again (noted only while phones are read ahead). */
  phoneWritten(phoneHmac: string | null | undefined): void {
    if (phoneHmac && this.phones.size > 0) this.stalePhones.add(phoneHmac);
  }

  /** A new organization has no members and no role holders: its scope is read in full (empty) until a write touches a person. */
  organizationCreated(organizationId: string): void {
    if (this.keys.size > 0) this.organizations.add(organizationId);
  }

  /** An organization moved to another community: its members' scope changed, which the reading cannot follow. */
  organizationMoved(): void {
    this.clear();
  }

  private answers(exact: string, phonetic: string, scope: HolderScope): boolean {
    if (!this.keys.has(`n:${exact}`) || this.stale.has(`n:${exact}`)) return false;
    if (phonetic && (!this.keys.has(`p:${phonetic}`) || this.stale.has(`p:${phonetic}`))) return false;
    if (scope.communityCode && !this.communities.has(scope.communityCode)) return false;
    return !scope.organizationId || this.organizations.has(scope.organizationId);
  }

  /** The rows the query of one name would return, from the run's reading (which holds them all: see answers). */
  private inScope(exact: string, phonetic: string, scope: HolderScope): HolderRow[] {
    const { organizationId, communityCode } = scope;
    return this.rows.filter((r) =>
      (r.nameKey === exact || (!!phonetic && r.namePinyin === phonetic))
      && ((!!organizationId && (r.memberOf.includes(organizationId) || r.roleOf.includes(organizationId)))
        || (!!communityCode && (r.memberIn.includes(communityCode) || r.roleIn.includes(communityCode)))));
  }

  /** The query of one name, as every look-up was before runs were read at once. */
  private async query(exact: string, phonetic: string, scope: HolderScope): Promise<HolderRow[]> {
    const rows: HolderRow[] = await this.manager.query(`
      SELECT ${HOLDER_COLUMNS} FROM person p
       WHERE (p.name_key = $1 OR p.name_pinyin = $4)
         AND (EXISTS (SELECT 1 FROM membership m JOIN party_organization o ON o.id = m.organization_id
                       WHERE m.person_id = p.id AND m.status = 'current' AND (o.id = $2 OR o.division_code = $3))
          OR EXISTS (SELECT 1 FROM role_assignment r WHERE r.person_id = p.id AND (r.organization_id = $2 OR r.division_code = $3)))
       ORDER BY p.id`, [exact, scope.organizationId ?? null, scope.communityCode ?? null, phonetic || null]);
    for (const row of rows) this.seen(row.id, row.nameKey, row.namePinyin);
    return rows;
  }
}

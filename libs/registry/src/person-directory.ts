import { insertRows, lineageCodec, newEntityId, Person, updateRow } from '@qc/database';
import { comparePersons, MatchWeights, PersonEvidence, scorePair, ScoredPair } from '@qc/matching';
import { parseAddress } from '@qc/fields';
import { compoundNameKey, namesMayBeOnePerson, namesShareACharacter, personNameKeys } from '@qc/naming';
import { EntityManager } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { HolderScope, NamedHolderIndex } from './named-holders';
import { Origin } from './origin';
import { firstPersonGolden, idDigitsOf, PersonFacts, survivePerson } from './person-golden';
import { ReviewDesk } from './review-desk';
import { NamedHolder, RolePlace } from './role-holder';
import { SourceRanking } from './survivorship';

export interface PersonClaim {
  facts: PersonFacts;
  organizationId?: string | null;
  communityCode?: string | null;
  /** The day the record says the person joined the party. */
  joinedOn?: string | null;
  /** The record's content hash: a reviewer's decision about it is found again on re-import. */
  recordKey: string;
  origin: Origin;
}

export interface PersonResolution {
  personId: string;
  outcome: 'created' | 'updated' | 'unchanged';
  method: 'id-number' | 'same-record' | 'probabilistic' | 'review-decision' | 'created';
  score: number | null;
  /** A review task was opened for this record. */
  review: boolean;
  /** Why the record's valid ID was not taken as its identity (it names someone of an unrelated name): the import warns. */
  idConflict?: string;
}

interface Known extends PersonEvidence {
  id: string;
  row: Person;
}

export const PERSON_COLUMNS = `p.id, p.name, p.name_key AS "nameKey", p.name_pinyin AS "namePinyin", p.gender, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate",
  p.birth_precision AS "birthPrecision", p.ethnicity_code AS "ethnicityCode", p.education, p.id_number_cipher AS "idNumberCipher",
  p.id_number_hmac AS "idNumberHmac", p.id_number_masked AS "idNumberMasked", p.id_evidence AS "idEvidence", p.id_digits AS "idDigits", p.phone_cipher AS "phoneCipher",
  p.phone_hmac AS "phoneHmac", p.phone_masked AS "phoneMasked", p.workplace, p.residence, p.lineage`;

/**
 * Resolves records to persons in chunks: exact on the keyed hash of a valid ID, then Fellegi–Sunter
 * scoring of candidates found through indexed blocking keys (name, phonetic name, phone) in the
 * registry as it stands, so a batch costs in proportion to its own size. New persons are inserted
 * together at the end of the chunk.
 */
export class PersonDirectory {
  /** Role holders named without a phone or ID, read per run of records (and the phones such records give). */
  readonly holders: NamedHolderIndex;

  constructor(
    private readonly manager: EntityManager,
    private readonly changes: ChangeBuffer,
    private readonly reviews: ReviewDesk,
    private readonly weights: MatchWeights,
    private readonly rules: SourceRanking,
  ) {
    this.holders = new NamedHolderIndex(manager);
  }

  async resolveMany(claims: PersonClaim[]): Promise<PersonResolution[]> {
    const known = new Map<string, Known>();
    const byHmac = new Map<string, Known>();
    const blocks = new Map<string, Set<Known>>();
    const addToBlocks = (k: Known) => {
      for (const key of blockingKeys(k)) {
        let set = blocks.get(key);
        if (!set) blocks.set(key, (set = new Set()));
        set.add(k);
      }
    };
    const remember = (k: Known) => {
      known.set(k.id, k);
      this.holders.seen(k.id, k.nameKey, k.phonetic);
      if (k.idHmac) byHmac.set(k.idHmac, k);
      addToBlocks(k);
    };

    const hmacs = [...new Set(claims.map((c) => c.facts.id?.hmac).filter((h): h is string => !!h))];
    if (hmacs.length > 0) {
      for (const row of await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id_number_hmac = ANY($1)`, [hmacs])) remember(toKnown(row));
    }
    // An ID under a name that cannot be its holder's (郑爽's row carrying 张伟's ID) is no exact
    // match: the record is resolved as if it had no valid ID, and a reviewer is asked.
    const holderOf = (c: PersonClaim) => (c.facts.id ? byHmac.get(c.facts.id.hmac) : undefined);
    const unresolved = claims.filter((c) => !holdsOwnId(c, holderOf(c)));
    // A record seen before, unchanged, in an earlier import is the person it became then (and
    // stays what a reviewer made of it: merged, unmerged or kept apart).
    const sameRecord = new Map<string, string>();
    if (unresolved.length > 0) {
      const rows: { rowHash: string; personId: string }[] = await this.manager.query(
        `SELECT DISTINCT ON (r.row_hash) r.row_hash AS "rowHash", l.entity_id AS "personId"
           FROM source_record r JOIN record_link_entry l ON l.source_record_id = r.id AND l.entity_type = 'person' JOIN import_batch b ON b.id = r.batch_id
          WHERE r.row_hash = ANY($1) AND b.status = 'completed'
          ORDER BY r.row_hash, r.id DESC`, [[...new Set(unresolved.map((c) => c.recordKey))]]);
      const ids = rows.map((r) => r.personId).filter((id) => !known.has(id));
      if (ids.length > 0) for (const row of await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::uuid[])`, [ids])) remember(toKnown(row));
      for (const r of rows) if (known.has(r.personId)) sameRecord.set(r.rowHash, r.personId);
    }
    // Records with a valid ID can only meet persons that have none (any other would be a different
    // ID): their search reads the partial indexes over ID-less persons, not every namesake.
    const withId = unresolved.filter((c) => c.facts.id);
    const withoutId = unresolved.filter((c) => !c.facts.id);
    for (const [group, onlyIdLess] of [[withId, true], [withoutId, false]] as const) {
      if (group.length === 0) continue;
      for (const row of await this.candidates(group, onlyIdLess)) if (!known.has(row.id)) remember(toKnown(row));
    }
    await this.loadMemberships([...known.values()]);
    // A lone record (a role holder's) asks only what its best candidates need, as it goes.
    await this.reviews.readAhead(claims.length > 1 ? priorQuestions(unresolved.filter((c) => !sameRecord.has(c.recordKey)), blocks, holderOf) : []);

    const inserts: Person[] = [];
    const results: PersonResolution[] = [];
    for (const original of claims) {
      const holder = holderOf(original);
      if (holder && holdsOwnId(original, holder)) {
        results.push({ ...(await this.update(holder, original)), method: 'id-number', score: null, review: false });
        continue;
      }
      // The contested ID stays its holder's; the record keeps everything else it says.
      const claim = holder ? { ...original, facts: { ...original.facts, id: null } } : original;
      const conflict = holder ? await this.idConflict(original, holder) : null;
      const evidence = claimEvidence(claim);
      const seen = known.get(sameRecord.get(claim.recordKey) ?? '');
      if (seen) {
        results.push({ ...(await this.update(seen, claim)), method: 'same-record', score: null, review: false, idConflict: conflict?.reason });
        continue;
      }
      const decided = await this.bestCandidate(claim, evidence, blocks, holder);
      if (decided.merge) {
        const { target, scored, method } = decided.merge;
        const outcome = await this.update(target, claim);
        if (target.idHmac) byHmac.set(target.idHmac, target);
        addToBlocks(target);
        results.push({ ...outcome, method, score: scored?.score ?? null, review: !!conflict && (await conflict.ask(target.id)), idConflict: conflict?.reason });
        continue;
      }
      const person = this.newPerson(claim);
      inserts.push(person);
      const created = toKnown({ ...person, birthDate: person.birthDate });
      created.organizationIds = evidence.organizationIds;
      created.communityCodes = evidence.communityCodes;
      created.joinDates = evidence.joinDates;
      remember(created);
      let review = false;
      if (decided.review) {
        const { target, scored } = decided.review;
        await this.reviews.open({
          kind: 'possible-duplicate', entityType: 'person', leftId: person.id, rightId: target.id,
          decisionParts: ['person', claim.recordKey, target.id], score: scored.score, evidence: scored.evidence,
          summary: `${person.name} may be the same person as ${target.name} (score ${scored.score})`,
        }, claim.origin);
        review = true;
      }
      if (conflict && (await conflict.ask(person.id))) review = true;
      results.push({ personId: person.id, outcome: 'created', method: 'created', score: decided.review?.scored.score ?? null, review, idConflict: conflict?.reason });
    }
    for (let i = 0; i < inserts.length; i += 1000) await insertRows(this.manager, Person, inserts.slice(i, i + 1000));
    return results;
  }

  /**
   * Registry persons sharing a blocking key (name, phonetic name, phone, ID digits, the valid IDs a
   * mistyped one is one typing error from, either way round) with any of the
   * claims. A common name has more namesakes the larger the registry, so a name reaches only those
   * the claim could be: born in the claim's birth year or of unknown birth when the claim gives one;
   * persons without a valid ID when the claim shows ID digits and no birth date (a valid ID whose
   * digits differ is someone else; one whose digits agree is found by them).
   */
  private async candidates(claims: PersonClaim[], onlyIdLess: boolean): Promise<Person[]> {
    const phones = new Set<string>();
    const digits = new Set<string>();
    const nearIds = new Set<string>();
    const validIds = new Set<string>();
    const dated: { exact: string[]; phonetic: (string | null)[]; year: number[] } = { exact: [], phonetic: [], year: [] };
    const undated = { exact: new Set<string>(), phonetic: new Set<string>() };
    const undatedIdLess = { exact: new Set<string>(), phonetic: new Set<string>() };
    for (const c of claims) {
      const d = idDigitsOf(c.facts);
      if (d) digits.add(d);
      if (c.facts.phone) phones.add(c.facts.phone.hmac);
      for (const near of c.facts.idEvidence?.near ?? []) nearIds.add(near);
      if (c.facts.id) validIds.add(c.facts.id.hmac);
      const keys = personNameKeys(c.facts.name);
      if (c.facts.birthDate) {
        dated.exact.push(keys.exact);
        dated.phonetic.push(keys.phonetic || null);
        dated.year.push(Number(c.facts.birthDate.slice(0, 4)));
        continue;
      }
      const into = d || onlyIdLess ? undatedIdLess : undated;
      into.exact.add(keys.exact);
      if (keys.phonetic) into.phonetic.add(keys.phonetic);
    }
    const idLess = onlyIdLess ? 'AND p.id_number_hmac IS NULL' : '';
    // Each arm is one index range: (name_key|name_pinyin, birth_date), or the partial indexes over persons without a valid ID.
    const bornIn = (column: string, key: string) =>
      `SELECT p.id FROM dated k JOIN person p ON p.${column} = k.${key} AND p.birth_date >= make_date(k.year, 1, 1) AND p.birth_date < make_date(k.year + 1, 1, 1) ${idLess}
       UNION SELECT p.id FROM dated k JOIN person p ON p.${column} = k.${key} AND p.birth_date IS NULL ${idLess}`;
    return this.persons(
      `WITH dated AS (SELECT * FROM unnest($3::text[], $4::text[], $5::int[]) AS k(exact, phonetic, year)),
       found AS (
         SELECT p.id FROM person p WHERE (p.phone_hmac = ANY($1) OR p.id_digits = ANY($2)) ${idLess}
         UNION ${bornIn('name_key', 'exact')}
         UNION ${bornIn('name_pinyin', 'phonetic')}
         UNION SELECT p.id FROM person p WHERE (p.name_key = ANY($6) OR p.name_pinyin = ANY($7)) ${idLess}
         UNION SELECT p.id FROM person p WHERE (p.name_key = ANY($8) OR p.name_pinyin = ANY($9)) AND p.id_number_hmac IS NULL
         UNION SELECT p.id FROM person p WHERE p.id_number_hmac = ANY($10)
         UNION SELECT p.id FROM person p WHERE p.id_evidence -> 'near' ?| $11::text[] AND p.id_evidence ->> 'kind' = 'mistyped')
       SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id IN (SELECT id FROM found)`,
      [[...phones], [...digits], dated.exact, dated.phonetic, dated.year, [...undated.exact], [...undated.phonetic], [...undatedIdLess.exact], [...undatedIdLess.phonetic], [...nearIds], [...nearIds, ...validIds]],
    );
  }

  /**
   * A role holder the record names without a phone or ID (楼栋长, a red-property branch's 书记):
   * the registry person of that name (or, failing that, a spelling of it) within the role's scope,
   * if exactly one (see pickNamedHolder); from the run's reading when there is one (holders.prepare).
   */
  namedHolder(name: string, scope: HolderScope, place?: RolePlace): Promise<NamedHolder> {
    return this.holders.find(name, scope, place);
  }

  /** Whether a registry person has this phone (its keyed hash) on record. */
  phoneOnRecord(phoneHmac: string): Promise<boolean> {
    return this.holders.phoneOnRecord(phoneHmac);
  }

  /**
   * Applies a role holder's claim to the person it was found to be by name within the role's scope
   * (namedHolder), as a match would; null, and nothing written, when the person's phone on record
   * differs from the claim's: then the name alone does not say they are one person.
   */
  async applyToNamedHolder(personId: string, claim: PersonClaim): Promise<Pick<PersonResolution, 'personId' | 'outcome'> | null> {
    const [row] = await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = $1`, [personId]);
    if (!row) return null;
    this.holders.seen(row.id, row.nameKey, row.namePinyin);
    if (row.phoneHmac && claim.facts.phone && row.phoneHmac !== claim.facts.phone.hmac) return null;
    return this.update(toKnown(row), claim);
  }

  /** Persons read with PERSON_COLUMNS, their lineage decoded as the entity's column would be. */
  private async persons(sql: string, parameters: unknown[]): Promise<Person[]> {
    const rows: Person[] = await this.manager.query(sql, parameters);
    for (const row of rows) row.lineage = lineageCodec('person').from(row.lineage as unknown as string[]);
    return rows;
  }

  /**
   * A record whose valid ID belongs to a person of an unrelated name: why it was not merged, and
   * `ask`, which opens a conflict task between the person the record became and the ID's holder
   * unless the same question was asked before (it returns whether it opened one).
   */
  private async idConflict(claim: PersonClaim, holder: Known): Promise<{ reason: string; ask: (personId: string) => Promise<boolean> }> {
    const reason = `the ID number is already ${holder.name}'s in the registry, a name that cannot be ${claim.facts.name}'s: not merged by the ID; ${claim.facts.name} stays a person of their own until a reviewer decides`;
    const question = ['person-id-conflict', claim.recordKey, holder.id];
    return {
      reason,
      ask: async (personId) => {
        if (await this.reviews.prior(question)) return false;
        await this.reviews.open({ kind: 'conflict', entityType: 'person', leftId: personId, rightId: holder.id, decisionParts: question, score: null, evidence: [], summary: reason }, claim.origin);
        return true;
      },
    };
  }

  private async bestCandidate(claim: PersonClaim, evidence: PersonEvidence, blocks: Map<string, Set<Known>>, exclude?: Known) {
    const candidates = new Set<Known>();
    for (const key of blockingKeys(evidence)) for (const k of blocks.get(key) ?? []) if (k !== exclude) candidates.add(k);
    const ranked: { target: Known; scored: ScoredPair }[] = [];
    for (const target of candidates) {
      if (claim.facts.id && target.idHmac) continue;
      const scored = scorePair(comparePersons(evidence, target), this.weights);
      if (scored.decision !== 'apart') ranked.push({ target, scored });
    }
    ranked.sort((a, b) => b.scored.score - a.scored.score);
    for (const best of ranked) {
      // A reviewer's earlier answer about this very record and candidate stands; kept apart, the next candidate is asked.
      const prior = await this.reviews.prior(['person', claim.recordKey, best.target.id]);
      if (prior?.status === 'merged') return { merge: { target: best.target, scored: best.scored, method: 'review-decision' as const } };
      if (prior?.status === 'kept-apart') continue;
      if (best.scored.decision === 'merge') return { merge: { target: best.target, scored: best.scored, method: 'probabilistic' as const } };
      return { review: best };
    }
    return {};
  }

  private newPerson(claim: PersonClaim): Person {
    const person = this.manager.create(Person, { id: newEntityId(), ...firstPersonGolden(claim.facts, claim.origin) });
    this.changes.created('person', person.id, claim.origin);
    this.holders.seen(person.id, person.nameKey, person.namePinyin);
    this.holders.touched(person.id);
    this.holders.phoneWritten(person.phoneHmac);
    return person;
  }

  /** Applies survivorship to a matched person and writes what changed. */
  private async update(target: Known, claim: PersonClaim): Promise<Pick<PersonResolution, 'personId' | 'outcome'>> {
    const current = target.row;
    const { values, changes } = survivePerson(this.rules, current, claim.facts, claim.origin);
    if (Object.keys(values).length === 0) return { personId: target.id, outcome: 'unchanged' };
    await updateRow(this.manager, Person, target.id, values);
    if (values.nameKey) this.holders.seen(target.id, values.nameKey, values.namePinyin ?? null);
    // Its name, home or phone may have changed: what it answered as a role holder is asked again.
    this.holders.touched(target.id);
    if (values.phoneHmac !== undefined) {
      this.holders.phoneWritten(current.phoneHmac);
      this.holders.phoneWritten(values.phoneHmac);
    }
    Object.assign(current, values);
    Object.assign(target, toKnown({ ...current }), { organizationIds: target.organizationIds, communityCodes: target.communityCodes });
    this.changes.updated('person', target.id, changes, claim.origin);
    return { personId: target.id, outcome: Object.keys(changes).length > 0 ? 'updated' : 'unchanged' };
  }

  private async loadMemberships(persons: Known[]): Promise<void> {
    await addMemberships(this.manager, persons);
  }
}

/** Past this many candidates a claim's questions are left to be asked one by one (a common name's namesakes). */
const READ_AHEAD_CANDIDATES = 8;

/**
 * The questions resolving these claims may ask a reviewer's earlier answer about (bestCandidate,
 * idConflict): each claim against every registry person sharing a blocking key with it, read ahead
 * in one query instead of one per record. Persons the chunk itself creates are asked one by one.
 */
function priorQuestions(claims: PersonClaim[], blocks: Map<string, Set<Known>>, holderOf: (c: PersonClaim) => Known | undefined): string[][] {
  const questions: string[][] = [];
  for (const claim of claims) {
    const holder = holderOf(claim);
    if (holder) questions.push(['person-id-conflict', claim.recordKey, holder.id]);
    const facts = holder ? { ...claim.facts, id: null } : claim.facts;
    const candidates = new Set<Known>();
    for (const key of blockingKeys(claimEvidence({ ...claim, facts }))) for (const k of blocks.get(key) ?? []) candidates.add(k);
    if (candidates.size > READ_AHEAD_CANDIDATES) continue;
    for (const target of candidates) if (target !== holder && !(facts.id && target.idHmac)) questions.push(['person', claim.recordKey, target.id]);
  }
  return questions;
}

/**
 * Whether a claim with a valid ID is its holder's: the holder's name can be the record's (a spelling,
 * homophone, transliteration), or the two names share a character and the phone agrees as well
 * (朝鲁/朝洛: a transliteration too short for the initials rule). Names that share nothing stay a
 * conflict for a reviewer, whatever else agrees.
 */
function holdsOwnId(claim: PersonClaim, holder: Known | undefined): holder is Known {
  if (!holder) return false;
  if (namesMayBeOnePerson(claim.facts.name, holder.name)) return true;
  const phone = claim.facts.phone?.hmac;
  return !!phone && phone === holder.phoneHmac && namesShareACharacter(claim.facts.name, holder.name);
}

/** Adds to each person's evidence the organizations, communities and joining days its memberships record. */
export async function addMemberships(manager: EntityManager, persons: (PersonEvidence & { id: string })[]): Promise<void> {
  if (persons.length === 0) return;
  const rows: { personId: string; organizationId: string; divisionCode: string | null; joinedOn: string | null }[] = await manager.query(
    `SELECT m.person_id AS "personId", m.organization_id AS "organizationId", o.division_code AS "divisionCode", CASE WHEN m.joined_precision = 'day' THEN to_char(m.joined_on, 'YYYY-MM-DD') END AS "joinedOn"
       FROM membership m JOIN party_organization o ON o.id = m.organization_id WHERE m.person_id = ANY($1)`,
    [persons.map((p) => p.id)],
  );
  const byId = new Map(persons.map((p) => [p.id, p]));
  for (const row of rows) {
    const p = byId.get(row.personId)!;
    p.organizationIds = [...p.organizationIds, row.organizationId];
    if (row.divisionCode) p.communityCodes = [...p.communityCodes, row.divisionCode];
    if (row.joinedOn) p.joinDates = [...p.joinDates, row.joinedOn];
  }
}

/** Keys under which a person is a candidate for another: exact name, phonetic name, phone, visible ID digits (keyed), a valid ID and the near misses of a mistyped one. */
export function blockingKeys(e: PersonEvidence): string[] {
  const keys = [`n:${e.nameKey}`];
  // A mistyped ID meets the valid ID it was probably meant to be, under any spelling of the name.
  if (e.idHmac) keys.push(`h:${e.idHmac}`);
  for (const near of e.idNear) keys.push(`h:${near}`);
  // A masked ID's visible digits find a person whose name was transliterated differently (吉日嘎拉/吉日格勒).
  if (e.idDigits) keys.push(`d:${e.idDigits}`);
  if (e.phonetic) keys.push(`p:${e.phonetic}`);
  if (e.phoneHmac) keys.push(`t:${e.phoneHmac}`);
  return keys;
}

/**
 * The blocking keys of the registry persons a merge of records with these keys (and these row
 * hashes, found again as the same record) can read or write, with the keys themselves: the
 * persons' own other keys are where another merge reaches the same persons from.
 */
export async function personKeysNear(manager: EntityManager, keys: Iterable<string>, rowHashes: string[]): Promise<Set<string>> {
  const by: Record<string, string[]> = { n: [], p: [], t: [], d: [], h: [] };
  const all = new Set(keys);
  for (const key of all) by[key.slice(0, 1)]?.push(key.slice(2));
  const rows: Person[] = await manager.query(
    `SELECT ${PERSON_COLUMNS} FROM person p
      WHERE p.name_key = ANY($1) OR p.name_pinyin = ANY($2) OR p.phone_hmac = ANY($3) OR p.id_digits = ANY($4)
         OR p.id_number_hmac = ANY($5) OR (p.id_evidence -> 'near' ?| $5::text[] AND p.id_evidence ->> 'kind' = 'mistyped')
         OR p.id IN (SELECT l.entity_id::uuid FROM source_record r JOIN record_link l ON l.source_record_id = r.id AND l.entity_type = 'person'
                      WHERE r.row_hash = ANY($6))`,
    [by.n, by.p, by.t, by.d, by.h, rowHashes]);
  for (const row of rows) for (const key of blockingKeys(personEvidenceOf(row))) all.add(key);
  return all;
}

/** What the matcher compares of a registry person, before its memberships are added. */
export function personEvidenceOf(row: Person): PersonEvidence {
  const { id: _id, row: _row, ...evidence } = toKnown(row);
  return evidence;
}

function toKnown(row: Person): Known {
  const evidence = row.idEvidence as PersonFacts['idEvidence'];
  return {
    id: row.id, row, name: row.name, nameKey: row.nameKey, phonetic: row.namePinyin, gender: row.gender,
    birthDate: truncateDate(row.birthDate, row.birthPrecision), idHmac: row.idNumberHmac,
    idPrefix: row.idNumberMasked ? validIdPrefix(row.idNumberMasked, row.birthDate) : visibleIdPrefix(evidence),
    idDigits: row.idDigits, idNear: evidence?.near ?? [],
    phoneHmac: row.phoneHmac, residenceKey: residenceKey(row.residence), organizationIds: [], communityCodes: [], joinDates: [],
  };
}

/** The leading digits a damaged or masked ID shows; a mistyped one's digits are not trusted one by one (its near misses are compared instead). */
function visibleIdPrefix(evidence: PersonFacts['idEvidence']): string | null {
  return evidence && evidence.kind !== 'mistyped' ? evidence.prefix : null;
}

/**
 * The leading digits of a valid ID that the registry can show: the region (masked IDs keep it) and
 * the birth date (digits 7–14, which the ID's own birth date gives), to compare with a damaged ID.
 */
function validIdPrefix(masked: string, birthDate: string | null): string {
  return birthDate ? masked.slice(0, 6) + birthDate.replace(/-/g, '') : masked.slice(0, 6);
}

/** compound/building/unit/room of an address, or null when it names no compound. */
export function residenceKey(text: string | null): string | null {
  if (!text) return null;
  const known = residenceKeys.get(text);
  if (known !== undefined) return known;
  const address = parseAddress(text);
  const compound = address.ok ? compoundNameKey(address.value.compound) : null;
  const key = address.ok && compound ? [compound, address.value.building?.key ?? '', address.value.unit ?? '', address.value.room ?? ''].join('/') : null;
  // A merge compares each record's address, and each candidate's, again and again: remember a bounded number.
  if (residenceKeys.size >= RESIDENCE_KEYS_REMEMBERED) residenceKeys.clear();
  residenceKeys.set(text, key);
  return key;
}

const RESIDENCE_KEYS_REMEMBERED = 50_000;
const residenceKeys = new Map<string, string | null>();

export function claimEvidence(claim: Pick<PersonClaim, 'facts' | 'organizationId' | 'communityCode' | 'joinedOn'>): PersonEvidence {
  const f = claim.facts;
  const keys = personNameKeys(f.name);
  return {
    name: f.name, nameKey: keys.exact, phonetic: keys.phonetic, gender: f.gender,
    birthDate: truncateDate(f.birthDate, f.birthPrecision), idHmac: f.id?.hmac ?? null,
    idPrefix: f.id ? validIdPrefix(f.id.masked, f.birthDate) : visibleIdPrefix(f.idEvidence),
    idDigits: idDigitsOf(f), idNear: f.idEvidence?.near ?? [],
    phoneHmac: f.phone?.hmac ?? null, residenceKey: residenceKey(f.residence),
    organizationIds: claim.organizationId ? [claim.organizationId] : [],
    communityCodes: claim.communityCode ? [claim.communityCode] : [],
    joinDates: claim.joinedOn ? [claim.joinedOn] : [],
  };
}

function truncateDate(iso: string | null, precision: Person['birthPrecision']): string | null {
  if (!iso) return null;
  return precision === 'year' ? iso.slice(0, 4) : precision === 'month' ? iso.slice(0, 7) : iso.slice(0, 10);
}

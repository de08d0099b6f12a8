import { insertRows, lineageCodec, newEntityId, Person, updateRows } from '@qc/database';
import { comparePersons, MatchWeights, PersonEvidence, scorePair, ScoredPair } from '@qc/matching';
import { namesMayBeOnePerson, namesShareACharacter, personNameKeys } from '@qc/naming';
import { EntityManager } from 'typeorm';
import { because, Reason, reasonText } from '@qc/reasons';
import { ChangeBuffer } from './change-buffer';
import { HolderScope, NamedHolderIndex } from './named-holders';
import { Origin } from './origin';
import { firstPersonGolden, idDigitsOf, PersonFacts, survivePerson } from './person-golden';
import { residenceKey } from './residence-key';
import { ReviewDesk } from './review-desk';
import { NamedHolder, RolePlace } from './role-holder';
import { CandidateQuery, finishPair, scorePairsInSql, SlottedEvidence } from './sql-pair-scoring';
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
  idConflict?: Reason;
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
  /**
   * Columns matched persons take from their records, written in one statement per chunk after its
   * new persons are inserted, so that a person created and matched again in one chunk keeps both.
   */
  private readonly updates = new Map<string, Partial<Person>>();
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
    // Persons read in full: ID holders, persons of records seen before, candidates that scored above apart.
    const known = new Map<string, Known>();
    const byHmac = new Map<string, Known>();
    const load = (k: Known) => {
      known.set(k.id, k);
      this.holders.seen(k.id, k.nameKey, k.phonetic);
      if (k.idHmac) byHmac.set(k.idHmac, k);
    };
    // Persons created or changed in this chunk are compared in Node as they stand now, under every
    // key they had since (the registry's other persons are compared in SQL, as they are stored).
    const touched = new Set<string>();
    const blocks = new Map<string, Set<Known>>();
    const addToBlocks = (k: Known) => {
      for (const key of blockingKeys(k)) {
        let set = blocks.get(key);
        if (!set) blocks.set(key, (set = new Set()));
        set.add(k);
      }
    };
    const touch = (k: Known) => {
      if (touched.has(k.id)) return;
      touched.add(k.id);
      addToBlocks(k);
    };

    const hmacs = [...new Set(claims.map((c) => c.facts.id?.hmac).filter((h): h is string => !!h))];
    if (hmacs.length > 0) {
      for (const row of await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id_number_hmac = ANY($1)`, [hmacs])) load(toKnown(row));
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
      if (ids.length > 0) for (const row of await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::uuid[])`, [ids])) load(toKnown(row));
      for (const r of rows) if (known.has(r.personId)) sameRecord.set(r.rowHash, r.personId);
    }
    await this.loadMemberships([...known.values()]);
    // The registry persons each claim may be, compared in SQL, by evidence slot: what the chunk's
    // blocks held before matching moved to SQL (the candidates of the blocking keys, the ID holders
    // and the persons of records seen before). The persons they name are read in full.
    const candidates = registryCandidates(unresolved, [...known.keys()]);
    const compareInRegistry = async (slotted: SlottedEvidence[]) => {
      const pairs = await this.comparedInRegistry(slotted, candidates);
      const wanted = [...new Set([...pairs.values()].flatMap((found) => found.map((p) => p.personId)))].filter((id) => !known.has(id));
      if (wanted.length > 0) {
        const rows = (await this.persons(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.id = ANY($1::uuid[])`, [wanted])).map(toKnown);
        await this.loadMemberships(rows);
        rows.forEach(load);
      }
      return pairs;
    };
    // Compared ahead, together: each claim as it will be compared unless a person of this chunk
    // changes that (its ID's holder, created or changed by an earlier claim): then on its turn, alone.
    const registryPairs = await compareInRegistry(claims.flatMap((c, index) => {
      if (sameRecord.has(c.recordKey)) return [];
      const holder = holderOf(c);
      if (!holder) return [{ slot: evidenceSlot(index, false), evidence: claimEvidence(c) }];
      return holdsOwnId(c, holder) ? [] : [{ slot: evidenceSlot(index, true), evidence: claimEvidence({ ...c, facts: { ...c.facts, id: null } }) }];
    }));
    // Every earlier answer of a reviewer those pairs may meet, read in one query (a lone record, a role holder's, asks as it goes).
    await this.reviews.readAhead(claims.length > 1 ? priorQuestions(claims, registryPairs, holderOf) : []);

    const inserts: Person[] = [];
    const results: PersonResolution[] = [];
    for (const [index, original] of claims.entries()) {
      const holder = holderOf(original);
      if (holder && holdsOwnId(original, holder)) {
        touch(holder);
        results.push({ ...(await this.update(holder, original)), method: 'id-number', score: null, review: false });
        continue;
      }
      // The contested ID stays its holder's; the record keeps everything else it says.
      const claim = holder ? { ...original, facts: { ...original.facts, id: null } } : original;
      const conflict = holder ? await this.idConflict(original, holder) : null;
      const evidence = claimEvidence(claim);
      const seen = known.get(sameRecord.get(claim.recordKey) ?? '');
      if (seen) {
        touch(seen);
        results.push({ ...(await this.update(seen, claim)), method: 'same-record', score: null, review: false, idConflict: conflict?.reason });
        continue;
      }
      const slot = evidenceSlot(index, !!holder);
      const scoredInSql = registryPairs.get(slot) ?? (await compareInRegistry([{ slot, evidence }])).get(slot)!;
      // A person changed in this chunk is compared as it stands now (from the blocks), not as stored.
      const inRegistry = scoredInSql.filter((p) => !touched.has(p.personId)).map((p) => ({ target: known.get(p.personId)!, scored: p.scored }));
      const decided = await this.bestCandidate(claim, evidence, blocks, inRegistry, holder);
      if (decided.merge) {
        const { target, scored, method } = decided.merge;
        touch(target);
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
      load(created);
      touch(created);
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
    await this.writeUpdates();
    return results;
  }

  /** The registry persons each evidence may be (more than apart): compared and scored in SQL (scorePairsInSql), finished in Node (finishPair). */
  private async comparedInRegistry(slotted: SlottedEvidence[], candidates: CandidateQuery): Promise<Map<number, { personId: string; scored: ScoredPair }[]>> {
    const pairs = new Map<number, { personId: string; scored: ScoredPair }[]>(slotted.map((s) => [s.slot, []]));
    if (slotted.length === 0) return pairs;
    const evidenceOf = new Map(slotted.map((s) => [s.slot, s.evidence]));
    for (const pair of await scorePairsInSql(this.manager, slotted, candidates, this.weights, this.weights.reviewAbove)) {
      const { scored } = finishPair(pair, evidenceOf.get(pair.slot)!, this.weights, residenceKey);
      if (scored.decision !== 'apart') pairs.get(pair.slot)!.push({ personId: pair.personId, scored });
    }
    return pairs;
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
    const outcome = await this.update(toKnown(row), claim);
    await this.writeUpdates();
    return outcome;
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
  private async idConflict(claim: PersonClaim, holder: Known): Promise<{ reason: Reason; ask: (personId: string) => Promise<boolean> }> {
    const reason = because('id-held-under-other-name', { holder: holder.name, name: claim.facts.name });
    const question = ['person-id-conflict', claim.recordKey, holder.id];
    return {
      reason,
      ask: async (personId) => {
        if (await this.reviews.prior(question)) return false;
        await this.reviews.open({ kind: 'conflict', entityType: 'person', leftId: personId, rightId: holder.id, decisionParts: question, score: null, evidence: [], summary: reasonText(reason) }, claim.origin);
        return true;
      },
    };
  }

  /**
   * The best of a claim's candidates: the persons of this chunk's blocks sharing a key with it,
   * compared here, and the registry's other persons, compared in SQL (`inRegistry`: already scored,
   * more than apart).
   */
  private async bestCandidate(claim: PersonClaim, evidence: PersonEvidence, blocks: Map<string, Set<Known>>, inRegistry: { target: Known; scored: ScoredPair }[], exclude?: Known) {
    const candidates = new Set<Known>();
    for (const key of blockingKeys(evidence)) for (const k of blocks.get(key) ?? []) if (k !== exclude) candidates.add(k);
    const ranked = inRegistry.filter((c) => c.target !== exclude);
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
    // A plain row, not an entity instance: COPY reads its columns by name, and a merge makes one per new member.
    const person = { id: newEntityId(), ...firstPersonGolden(claim.facts, claim.origin) } as Person;
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
    this.updates.set(target.id, { ...this.updates.get(target.id), ...values });
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

  /** A person matched twice in a chunk is written once, with what both records changed. */
  private async writeUpdates(): Promise<void> {
    await updateRows(this.manager, Person, this.updates);
    this.updates.clear();
  }

  private async loadMemberships(persons: Known[]): Promise<void> {
    await addMemberships(this.manager, persons);
  }
}

/**
 * The questions resolving these claims may ask a reviewer's earlier answer about (bestCandidate,
 * idConflict): each claim against its contested ID's holder and the registry persons it scored
 * above apart with, read ahead in one query instead of one per record. Questions about persons the
 * chunk itself creates or changes are asked as they come.
 */
function priorQuestions(claims: PersonClaim[], pairs: Map<number, { personId: string }[]>, holderOf: (c: PersonClaim) => Known | undefined): string[][] {
  const questions: string[][] = [];
  for (const [index, claim] of claims.entries()) {
    const holder = holderOf(claim);
    if (holder) {
      const holderId = holder.id;
      if (holdsOwnId(claim, holder)) continue;
      questions.push(['person-id-conflict', claim.recordKey, holderId]);
    }
    for (const { personId } of pairs.get(evidenceSlot(index, !!holder)) ?? []) questions.push(['person', claim.recordKey, personId]);
  }
  return questions;
}

/**
 * The registry side of a chunk's comparisons: the persons found by the claims' blocking keys
 * (candidateSql) and `alsoCandidates`. Records with a valid ID can only meet persons that have none
 * (any other would be a different ID): their search reads the partial indexes over ID-less
 * persons, not every namesake.
 */
function registryCandidates(claims: PersonClaim[], alsoCandidates: string[]): CandidateQuery {
  const parameters: unknown[] = [alsoCandidates];
  const arms = ['SELECT unnest($1::uuid[]) AS id'];
  for (const [group, onlyIdLess] of [[claims.filter((c) => c.facts.id), true], [claims.filter((c) => !c.facts.id), false]] as const) {
    if (group.length > 0) arms.push(candidateSql(group, onlyIdLess, parameters));
  }
  return { sql: arms.join('\n     UNION '), parameters };
}

/**
 * Registry persons sharing a blocking key (name, phonetic name, phone, ID digits, the valid IDs a
 * mistyped one is one typing error from, either way round) with any of the claims, as SQL
 * returning `id`, its parameters appended to `parameters`. A common name has more namesakes the
 * larger the registry, so a name reaches only those the claim could be: born in the claim's birth
 * year or of unknown birth when the claim gives one; persons without a valid ID when the claim shows
 * ID digits and no birth date (a valid ID whose digits differ is someone else; one whose digits
 * agree is found by them).
 */
function candidateSql(claims: PersonClaim[], onlyIdLess: boolean, parameters: unknown[]): string {
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
  const $ = (value: unknown) => `$${parameters.push(value)}`;
  const [phone, digit, exact, phonetic, year] = [$([...phones]), $([...digits]), $(dated.exact), $(dated.phonetic), $(dated.year)];
  const [undatedExact, undatedPhonetic, idLessExact, idLessPhonetic] = [$([...undated.exact]), $([...undated.phonetic]), $([...undatedIdLess.exact]), $([...undatedIdLess.phonetic])];
  const [near, nearOrValid] = [$([...nearIds]), $([...nearIds, ...validIds])];
  const idLess = onlyIdLess ? 'AND p.id_number_hmac IS NULL' : '';
  const dates = `unnest(${exact}::text[], ${phonetic}::text[], ${year}::int[]) AS k(exact, phonetic, year)`;
  // Each arm is one index range: (name_key|name_pinyin, birth_date), or the partial indexes over persons without a valid ID.
  const bornIn = (column: string, key: string) =>
    `SELECT p.id FROM ${dates} JOIN person p ON p.${column} = k.${key} AND p.birth_date >= make_date(k.year, 1, 1) AND p.birth_date < make_date(k.year + 1, 1, 1) ${idLess}
     UNION SELECT p.id FROM ${dates} JOIN person p ON p.${column} = k.${key} AND p.birth_date IS NULL ${idLess}`;
  return `SELECT p.id FROM person p WHERE (p.phone_hmac = ANY(${phone}) OR p.id_digits = ANY(${digit})) ${idLess}
     UNION ${bornIn('name_key', 'exact')}
     UNION ${bornIn('name_pinyin', 'phonetic')}
     UNION SELECT p.id FROM person p WHERE (p.name_key = ANY(${undatedExact}) OR p.name_pinyin = ANY(${undatedPhonetic})) ${idLess}
     UNION SELECT p.id FROM person p WHERE (p.name_key = ANY(${idLessExact}) OR p.name_pinyin = ANY(${idLessPhonetic})) AND p.id_number_hmac IS NULL
     UNION SELECT p.id FROM person p WHERE p.id_number_hmac = ANY(${near})
     UNION SELECT p.id FROM person p WHERE p.id_evidence -> 'near' ?| ${nearOrValid}::text[] AND p.id_evidence ->> 'kind' = 'mistyped'`;
}

/** The slot of a claim's evidence in the SQL comparison: with its valid ID (if any), or without it. */
function evidenceSlot(index: number, withoutId: boolean): number {
  return 2 * index + (withoutId ? 1 : 0);
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

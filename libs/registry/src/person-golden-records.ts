import { ChangeEntry } from '@qc/changes';
import { lineageCodec, Person } from '@qc/database';
import { EntityManager } from 'typeorm';
import { firstPersonGolden, PERSON_GOLDEN_COLUMNS, PersonGolden, personFactsIn, survivePerson } from './person-golden';
import { SourceRanking } from './survivorship';

/** The records of completed batches linked to a person, in the order the merges applied them. */
const LINKED_RECORDS = `
  SELECT r.id::text AS id, r.batch_id::text AS "batchId", split_part(b.source_kind, '+', 1) AS source, r.payload
    FROM source_record r JOIN import_batch b ON b.id = r.batch_id
   WHERE r.id IN (SELECT l.source_record_id FROM record_link_entry l WHERE l.entity_type = 'person' AND l.entity_id = $1)
     AND b.status = 'completed'
   ORDER BY b.created_at, r.id`;

/** Personal-data columns the change feed shows masked (or not at all). */
const MASKED_IN_FEED: Record<string, string | null> = {
  idNumberHmac: 'idNumber', idNumberMasked: null, idNumberCipher: null, phoneHmac: 'phone', phoneMasked: null, phoneCipher: null, idEvidence: 'idEvidence', idDigits: null, lineage: null,
};

/**
 * Golden records of persons rebuilt from scratch: every source record now linked to the person,
 * replayed through the same survivorship the merge applies record by record (survivePerson), so
 * a rebuild after a merge, an unmerge or a rollback is what importing those records alone gives.
 */
export class PersonGoldenRecords {
  constructor(private readonly manager: EntityManager, private readonly rules: SourceRanking) {}

  /** The golden record the person's linked records make; null when no live record describes the person. */
  async rebuild(personId: string): Promise<PersonGolden | null> {
    const rows: { id: string; batchId: string; source: string; payload: Record<string, unknown> | null }[] = await this.manager.query(LINKED_RECORDS, [personId]);
    let golden: PersonGolden | null = null;
    const heldByOthers = await this.idsHeldByOthers(personId, rows.map((r) => personFactsIn(r.payload)?.id?.hmac).filter((h): h is string => !!h));
    for (const row of rows) {
      let facts = personFactsIn(row.payload);
      if (!facts) continue;
      // A record that carried someone else's ID under an unrelated name (an ID conflict) describes this person without it.
      if (facts.id && heldByOthers.has(facts.id.hmac)) facts = { ...facts, id: null };
      const origin = { sourceRecordId: row.id, batchId: row.batchId, source: row.source };
      if (!golden) golden = firstPersonGolden(facts, origin);
      else Object.assign(golden, survivePerson(this.rules, golden, facts, origin).values);
    }
    return golden;
  }

  /** Of these ID hashes, the ones another person holds. */
  private async idsHeldByOthers(personId: string, hmacs: string[]): Promise<Set<string>> {
    if (hmacs.length === 0) return new Set();
    const rows: { hmac: string }[] = await this.manager.query(
      `SELECT id_number_hmac AS hmac FROM person WHERE id_number_hmac = ANY($1) AND id <> $2`, [[...new Set(hmacs)], personId]);
    return new Set(rows.map((r) => r.hmac));
  }

  /**
   * Rebuilds and writes the person's golden record; returns the change-feed entry (personal data
   * masked) or null when nothing changed or no record describes the person any more.
   */
  async recompute(personId: string, actor: string, batchId: string | null = null): Promise<ChangeEntry | null> {
    const golden = await this.rebuild(personId);
    const current = await this.manager.findOneBy(Person, { id: personId });
    if (!golden || !current) return null;
    const values: Partial<PersonGolden> = {};
    const changes: Record<string, [unknown, unknown]> = {};
    for (const column of PERSON_GOLDEN_COLUMNS) {
      // Lineage compares as stored: its fields' order in memory is the order survivorship met them.
      const [was, now] = column === 'lineage' ? [lineageCodec('person').to(current.lineage), lineageCodec('person').to(golden.lineage)] : [current[column], golden[column]];
      if (JSON.stringify(was ?? null) === JSON.stringify(now ?? null)) continue;
      (values as Record<string, unknown>)[column] = golden[column];
      const shown = column in MASKED_IN_FEED ? MASKED_IN_FEED[column] : column;
      if (shown === 'idNumber') changes.idNumber = [current.idNumberMasked, golden.idNumberMasked];
      else if (shown === 'phone') changes.phone = [current.phoneMasked, golden.phoneMasked];
      else if (shown === 'idEvidence') changes.idEvidence = [current.idEvidence ? 'set' : null, golden.idEvidence ? 'set' : null];
      else if (shown) changes[shown] = [current[column], golden[column]];
    }
    if (Object.keys(values).length === 0) return null;
    await this.manager.update(Person, { id: personId }, values as Record<string, unknown>);
    if (Object.keys(changes).length === 0) return null;
    return { entityType: 'person', entityId: personId, action: 'update', changes, actor, batchId };
  }
}

import { FieldLineage, insertRows, lineageCodec, Membership, MembershipCategory, MembershipStatus, newEntityId, updateRows } from '@qc/database';
import { EntityManager } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { lineageEntry, Origin, recordClaims } from './origin';
import { ReviewDesk } from './review-desk';
import { SourceRanking, survive } from './survivorship';
import { confirmingSources, demoteUnconfirmed, membershipSourceRank } from './unconfirmed-memberships';

export interface MembershipFacts {
  category: MembershipCategory | null;
  status: MembershipStatus;
  joinedOn: string | null;
  joinedPrecision: 'day' | 'month' | 'year' | null;
  regularizedOn: string | null;
}

interface Claim { personId: string; organizationId: string; facts: MembershipFacts; origin: Origin }

/**
 * Memberships, claimed during a chunk and written at its end. A member has one current membership:
 * when sources disagree, the better-ranked source's organization is current and the other is kept
 * as former; between equally ranked sources the registry keeps what it has and opens a review task.
 */
export class MembershipDesk {
  private claims: Claim[] = [];

  constructor(
    private readonly manager: EntityManager,
    private readonly changes: ChangeBuffer,
    private readonly reviews: ReviewDesk,
    private readonly rules: SourceRanking,
    /** A person's memberships were written (which may make them a named role holder in another scope). */
    private readonly personTouched: (personId: string) => void,
  ) {}

  claim(personId: string, organizationId: string, facts: MembershipFacts, origin: Origin): void {
    this.claims.push({ personId, organizationId, facts, origin });
  }

  /**
   * The rule for memberships only the retired app lists, applied once a merge's records are all in:
   * see demoteUnconfirmed. The feed names the roster batch each demotion answers to. Only a batch of
   * the roster or of the retired app can make new demotions; the rule reads the whole city, so
   * other batches skip it.
   */
  async settleUnconfirmed(batchSources: readonly string[]): Promise<void> {
    const sources = confirmingSources(this.rules);
    if (!sources || !batchSources.some((s) => s === sources.roster || s === sources.retired)) return;
    this.changes.add(await demoteUnconfirmed(this.manager, this.rules));
  }

  async flush(): Promise<void> {
    const claims = this.claims;
    this.claims = [];
    if (claims.length === 0) return;
    const existing = await this.membershipsOf([...new Set(claims.map((c) => c.personId))]);
    const byPerson = new Map<string, Membership[]>();
    for (const m of existing) byPerson.set(m.personId, [...(byPerson.get(m.personId) ?? []), m]);
    const inserts: Membership[] = [];
    const updates = new Map<string, Membership>();
    const claimedAgain: [string, string][] = [];
    const batchOf = await this.batchesOfOrganizationRecords(existing);

    for (const c of claims) {
      const memberships = byPerson.get(c.personId) ?? [];
      byPerson.set(c.personId, memberships);
      let facts = { ...c.facts };
      const same = memberships.find((m) => m.organizationId === c.organizationId);
      const current = memberships.find((m) => m.status === 'current' && m.organizationId !== c.organizationId);
      if (facts.status === 'current' && current) {
        const ours = membershipSourceRank(this.rules, c.origin.source);
        const theirs = membershipSourceRank(this.rules, current.lineage.organizationId?.source);
        const holder = current.lineage.organizationId?.sourceRecordId;
        if (ours < theirs || (ours === theirs && holder !== undefined && batchOf.get(holder) === c.origin.batchId)) {
          // The better source (or a later row of the same export) says where the member is now.
          this.changes.updated('membership', current.id, { status: [current.status, 'former'] }, c.origin);
          current.status = 'former';
          updates.set(current.id, current);
        } else {
          if (ours === theirs) {
            await this.reviews.open({
              kind: 'conflict', entityType: 'membership', leftId: c.personId, rightId: c.organizationId,
              decisionParts: ['membership', c.personId, current.organizationId, c.organizationId], score: null, evidence: [],
              summary: 'a member listed as current in two organizations at once',
            }, c.origin);
          }
          facts = { ...facts, status: 'former' };
        }
      }
      if (same) {
        if (!same.batchIds.includes(c.origin.batchId)) {
          same.batchIds.push(c.origin.batchId);
          if (!inserts.includes(same)) claimedAgain.push([same.id, c.origin.batchId]);
        }
        const result = survive<Membership>(this.rules, 'membership', same, same.lineage, facts, c.origin);
        if (result.dirty) {
          Object.assign(same, result.values, { lineage: result.lineage });
          if (!inserts.includes(same)) updates.set(same.id, same);
          this.changes.updated('membership', same.id, result.changes, c.origin);
        }
        continue;
      }
      const membership = {
        id: newEntityId(), personId: c.personId, organizationId: c.organizationId, ...facts, endedOn: null,
        lineage: firstLineage(facts, c.origin), batchIds: [c.origin.batchId],
      } as Membership;
      memberships.push(membership);
      inserts.push(membership);
      batchOf.set(c.origin.sourceRecordId, c.origin.batchId);
      this.changes.created('membership', membership.id, c.origin);
    }
    for (let i = 0; i < inserts.length; i += 1000) await insertRows(this.manager, Membership, inserts.slice(i, i + 1000));
    await updateRows(this.manager, Membership, new Map([...updates.values()].map((m) => [m.id, {
      status: m.status, category: m.category, joinedOn: m.joinedOn, joinedPrecision: m.joinedPrecision, regularizedOn: m.regularizedOn, lineage: m.lineage,
    }])));
    await recordClaims(this.manager, 'membership', claimedAgain);
    for (const personId of new Set(claims.map((c) => c.personId))) this.personTouched(personId);
  }

  /** The persons' memberships, read as plain rows (one array parameter, not an entity query of a parameter per person). */
  private async membershipsOf(personIds: string[]): Promise<Membership[]> {
    const rows: Membership[] = await this.manager.query(
      `SELECT id::text, person_id::text AS "personId", organization_id::text AS "organizationId", category, status, to_char(joined_on, 'YYYY-MM-DD') AS "joinedOn",
              joined_precision AS "joinedPrecision", to_char(regularized_on, 'YYYY-MM-DD') AS "regularizedOn", to_char(ended_on, 'YYYY-MM-DD') AS "endedOn",
              lineage, batch_ids::text[] AS "batchIds", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM membership WHERE person_id = ANY($1::uuid[])`, [personIds]);
    for (const row of rows) row.lineage = lineageCodec('membership').from(row.lineage as unknown as string[]);
    return rows;
  }

  /** Source record → batch of the records that answer for these memberships' organizations (lineage names the record only). */
  private async batchesOfOrganizationRecords(memberships: Membership[]): Promise<Map<string, string>> {
    const records = [...new Set(memberships.map((m) => m.lineage.organizationId?.sourceRecordId).filter((id): id is string => !!id))];
    if (records.length === 0) return new Map();
    const rows: { id: string; batchId: string }[] = await this.manager.query(
      `SELECT id::text, batch_id::text AS "batchId" FROM source_record WHERE id = ANY($1::bigint[])`, [records]);
    return new Map(rows.map((r) => [r.id, r.batchId]));
  }
}

/**
 * Lineage of a new membership: every field its record gives, so a worse-ranked source later only
 * fills what is empty (a ledger's 1961.06 never replaces the member system's 1961-06-23).
 */
function firstLineage(facts: MembershipFacts, origin: Origin): FieldLineage {
  const lineage: FieldLineage = { organizationId: lineageEntry(origin), status: lineageEntry(origin) };
  for (const [field, value] of Object.entries(facts)) if (value !== null) lineage[field] = lineageEntry(origin);
  return lineage;
}

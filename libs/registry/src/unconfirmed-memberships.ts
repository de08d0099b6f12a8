import { ChangeEntry } from '@qc/changes';
import { EntityManager } from 'typeorm';
import { RECONCILE } from './change-buffer';
import { SourceRanking } from './survivorship';

/** The sources that say which organization a member belongs to, best first. */
export function membershipRanking(rules: SourceRanking): string[] {
  return (rules.membership as Record<string, string[]> | undefined)?.organizationId ?? rules.default;
}

/** A membership source's rank, 0 the best; a source the ranking does not name ranks after all of them. */
export function membershipSourceRank(rules: SourceRanking, source: string | undefined): number {
  const order = membershipRanking(rules);
  const i = source ? order.indexOf(source) : -1;
  return i === -1 ? order.length : i;
}

/**
 * The roster that lists every current member (the best-ranked membership source, the member
 * system) and the old tree that still lists those who left or died (the worst-ranked, the retired
 * app); null when the ranking names fewer than two sources.
 */
export function confirmingSources(rules: SourceRanking): { roster: string; retired: string } | null {
  const order = membershipRanking(rules);
  return order.length < 2 ? null : { roster: order[0], retired: order[order.length - 1] };
}

/** Where curation touched the registry: the rule is read again for these persons' memberships only. */
export interface DemotionScope { personIds: string[] }

/**
 * Applies the rule "a current membership only the retired app lists, of a person no other source
 * lists as a member at all, is former where the roster speaks", whatever order the files came in;
 * to every membership, or to those of a scope. Returns the change-feed entries of its demotions.
 *
 * Where the roster speaks: a roster batch (completed, or merging in this transaction; a rolled-back
 * one claims nothing) covers a community when it lists at least one member in an organization of
 * that community. A district's export then covers that district's communities and no other. An
 * organization lies in the community of its own division code, or else in that of its nearest
 * ancestor that has one.
 *
 * Each demotion names the newest roster batch covering the community, so that rolling that batch
 * back undoes it (and the rule, applied again, keeps it where another roster batch still covers).
 */
export async function demoteUnconfirmed(manager: EntityManager, rules: SourceRanking, scope?: DemotionScope): Promise<ChangeEntry[]> {
  const sources = confirmingSources(rules);
  if (!sources) return [];
  // The plan's estimates count every organization and membership of the city, which sets off
  // PostgreSQL's JIT: 0.6 s of compiling for a statement that, scoped to two persons, runs in 1 ms
  // (at 1M memberships; city-wide 2.0 s with JIT, 1.5 s without). Off for this statement only.
  const [{ jit }]: { jit: string }[] = await manager.query(`SELECT current_setting('jit') AS jit`);
  await manager.query('SET LOCAL jit = off');
  const [rows]: [{ membershipId: string; rosterBatchId: string }[], number] = await manager.query(`
    WITH RECURSIVE placed AS (
      SELECT o.id, d.code AS community FROM party_organization o
        LEFT JOIN division d ON d.code = o.division_code AND d.level = 'community'
       WHERE o.parent_id IS NULL
      UNION ALL
      SELECT o.id, coalesce(d.code, p.community) FROM party_organization o JOIN placed p ON o.parent_id = p.id
        LEFT JOIN division d ON d.code = o.division_code AND d.level = 'community'),
    unconfirmed AS (
      SELECT m.id, p.community FROM membership m JOIN placed p ON p.id = m.organization_id
       WHERE m.status = 'current' AND cardinality(m.batch_ids) > 0 AND p.community IS NOT NULL
         AND ($3::uuid[] IS NULL OR m.person_id = ANY($3::uuid[]))
         AND NOT EXISTS (
           SELECT 1 FROM membership other CROSS JOIN LATERAL unnest(other.batch_ids) AS claim(batch_id)
             JOIN import_batch b ON b.id = claim.batch_id
            WHERE other.person_id = m.person_id AND b.source_kind IS DISTINCT FROM $2)),
    covered AS (
      -- From the candidates' communities to their organizations' memberships: a scope reads a few communities, not the city.
      SELECT DISTINCT ON (p.community) p.community, b.id AS batch_id
        FROM (SELECT DISTINCT community FROM unconfirmed) u JOIN placed p ON p.community = u.community
        JOIN membership m ON m.organization_id = p.id CROSS JOIN LATERAL unnest(m.batch_ids) AS claim(batch_id)
        JOIN import_batch b ON b.id = claim.batch_id AND b.source_kind = $1
       ORDER BY p.community, b.created_at DESC, b.id DESC)
    UPDATE membership m SET status = 'former', updated_at = now()
      FROM unconfirmed u JOIN covered c ON c.community = u.community
     WHERE m.id = u.id
    RETURNING m.id::text AS "membershipId", c.batch_id::text AS "rosterBatchId"`, [sources.roster, sources.retired, scope?.personIds ?? null]);
  await manager.query(`SELECT set_config('jit', $1, true)`, [jit]);
  return rows.map(({ membershipId, rosterBatchId }) => ({
    entityType: 'membership', entityId: membershipId, action: 'update', changes: { status: ['current', 'former'] }, actor: RECONCILE, batchId: rosterBatchId,
  }));
}

import { ComparisonVector, comparePersons, PersonEvidence, vectorOf } from '@qc/matching';
import { EntityManager } from 'typeorm';
import { personFactsIn } from './person-golden';
import { blockingKeys, claimEvidence } from './person-directory';

export interface TrainingSample {
  /** Record pairs sharing a blocking key (the candidates the matcher scores): matches and non-matches, unlabelled. */
  blocked: ComparisonVector[];
  /** Random record pairs: almost all different persons, so their level frequencies estimate u. */
  random: ComparisonVector[];
  records: number;
}

/** A block larger than this is a common name: its pairs would swamp the sample with one kind of non-match. */
const LARGEST_BLOCK = 50;
const PAGE = 5000;

/**
 * Comparison vectors for training the matcher, from the person records in the registry (records,
 * not golden records: a golden record compared with a record it was built from agrees with itself).
 * Pairs are blocked with the keys PersonDirectory uses.
 */
export async function collectTrainingSample(manager: EntityManager, maxRecords: number, randomPairs: number, seed = 1): Promise<TrainingSample> {
  const evidence: PersonEvidence[] = [];
  let after = '0';
  while (evidence.length < maxRecords) {
    const rows: { id: string; payload: Record<string, unknown> | null; organizationId: string | null; communityCode: string | null }[] = await manager.query(`
      SELECT r.id::text, r.payload, o.id::text AS "organizationId", o.division_code AS "communityCode"
        FROM source_record r JOIN import_batch b ON b.id = r.batch_id AND b.status = 'completed'
        LEFT JOIN record_link lo ON lo.source_record_id = r.id
        LEFT JOIN party_organization o ON o.id = lo.organization_id
       WHERE r.id > $1 AND r.status = 'accepted'
         AND EXISTS (SELECT 1 FROM record_link_entry l WHERE l.source_record_id = r.id AND l.entity_type = 'person')
       ORDER BY r.id LIMIT $2`, [after, Math.min(PAGE, maxRecords - evidence.length)]);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      const facts = personFactsIn(row.payload);
      if (!facts) continue;
      const joinedOn = row.payload?.joinedPrecision === 'day' ? (row.payload.joinedOn as string) : null;
      evidence.push(claimEvidence({ facts, organizationId: row.organizationId, communityCode: row.communityCode, joinedOn }));
    }
  }
  return { blocked: blockedPairs(evidence), random: randomPairVectors(evidence, randomPairs, seed), records: evidence.length };
}

function blockedPairs(evidence: PersonEvidence[]): ComparisonVector[] {
  const blocks = new Map<string, number[]>();
  evidence.forEach((e, i) => {
    for (const key of blockingKeys(e)) blocks.set(key, [...(blocks.get(key) ?? []), i]);
  });
  const seen = new Set<string>();
  const vectors: ComparisonVector[] = [];
  for (const members of blocks.values()) {
    if (members.length < 2 || members.length > LARGEST_BLOCK) continue;
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        const pair = `${members[a]}:${members[b]}`;
        if (seen.has(pair)) continue;
        seen.add(pair);
        vectors.push(vectorOf(comparePersons(evidence[members[a]], evidence[members[b]])));
      }
    }
  }
  return vectors;
}

function randomPairVectors(evidence: PersonEvidence[], count: number, seed: number): ComparisonVector[] {
  if (evidence.length < 2) return [];
  // A fixed-seed generator: the same registry gives the same estimate.
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % evidence.length;
  };
  const vectors: ComparisonVector[] = [];
  for (let i = 0; i < count; i++) {
    const a = next();
    const b = next();
    if (a !== b) vectors.push(vectorOf(comparePersons(evidence[a], evidence[b])));
  }
  return vectors;
}

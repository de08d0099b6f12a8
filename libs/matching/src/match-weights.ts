import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComparisonField, PairComparison } from './person-comparison';
import { PROJECT_ROOT } from '@qc/config';

export interface LevelProbabilities { m: number; u: number }

export interface MatchWeights {
  mergeAbove: number;
  reviewAbove: number;
  fields: Record<ComparisonField, Record<string, LevelProbabilities>>;
}

export type MatchDecision = 'merge' | 'review' | 'apart';

export interface ScoredPair {
  score: number;
  decision: MatchDecision;
  /** Per field: the level and the weight it added, for review tasks and lineage. */
  evidence: { field: string; level: string; weight: number }[];
  veto: string | null;
}

export class MatchWeightsError extends Error {}

/**
 * Reads and checks config/matching.json, or another file with the same shape: QC_MATCH_WEIGHTS
 * names one to try (e.g. trained weights under `npm run eval`) without replacing the default.
 */
export function loadMatchWeights(file = process.env.QC_MATCH_WEIGHTS || join(PROJECT_ROOT, 'config', 'matching.json')): MatchWeights {
  if (!existsSync(file)) throw new MatchWeightsError(`matching weights not found: ${file}`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as MatchWeights;
  if (!(parsed.mergeAbove > parsed.reviewAbove)) throw new MatchWeightsError(`${file}: mergeAbove must be above reviewAbove`);
  for (const [field, levels] of Object.entries(parsed.fields ?? {})) {
    for (const [level, p] of Object.entries(levels)) {
      if (!(p.m > 0 && p.m <= 1 && p.u > 0 && p.u <= 1)) throw new MatchWeightsError(`${file}: ${field}.${level} needs 0 < m, u <= 1`);
    }
  }
  return parsed;
}

/** Fellegi–Sunter: the sum of log2(m/u) over the compared fields, then the two thresholds and the rules. */
export function scorePair(comparison: PairComparison, weights: MatchWeights): ScoredPair {
  const evidence: ScoredPair['evidence'] = [];
  let score = 0;
  for (const { field, level } of comparison.fields) {
    if (level === null) continue;
    const p = weights.fields[field]?.[level];
    if (!p) continue;
    const weight = Math.log2(p.m / p.u);
    score += weight;
    evidence.push({ field, level, weight: Math.round(weight * 100) / 100 });
  }
  let decision: MatchDecision = score > weights.mergeAbove ? 'merge' : score > weights.reviewAbove ? 'review' : 'apart';
  if (comparison.veto) decision = 'apart';
  // Name, birth date and organisation alone never merge two records: namesakes share all three.
  else if (decision === 'merge' && !comparison.identityAgrees) decision = 'review';
  return { score: Math.round(score * 100) / 100, decision, evidence, veto: comparison.veto };
}

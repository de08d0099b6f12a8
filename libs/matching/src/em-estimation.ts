import { LevelProbabilities, MatchWeights } from './match-weights';
import { ComparisonField, PairComparison } from './person-comparison';

/** One compared pair as the estimator sees it: the level reached per field, null when a side lacks the field. */
export type ComparisonVector = Partial<Record<ComparisonField, string | null>>;

/** The levels each field can reach (the keys of config/matching.json), which fixes the output's shape. */
export type FieldLevels = Partial<Record<ComparisonField, readonly string[]>>;

export type LevelTable = Partial<Record<ComparisonField, Record<string, number>>>;

export interface EmOptions {
  /** Starting m (and u, unless fixedU is given) per field and level, e.g. the current weights. */
  start: Partial<Record<ComparisonField, Record<string, LevelProbabilities>>>;
  /** u estimated elsewhere (from random pairs): held fixed, only m and λ are estimated. */
  fixedU?: LevelTable;
  /** Prior share of matching pairs among the vectors; estimated from the data too. */
  lambda: number;
  /** Laplace pseudo-count per level: a level never seen keeps a small, non-zero probability. */
  smoothing?: number;
  maxIterations?: number;
  /** Stop when no parameter moves by more than this. */
  tolerance?: number;
}

export interface EmResult {
  m: LevelTable;
  u: LevelTable;
  lambda: number;
  iterations: number;
  converged: boolean;
}

export const vectorOf = (comparison: PairComparison): ComparisonVector =>
  Object.fromEntries(comparison.fields.map((f) => [f.field, f.level]));

/** Level frequencies among pairs known (or all but certainly) to be different persons: u, smoothed. */
export function estimateU(vectors: readonly ComparisonVector[], levels: FieldLevels, smoothing = 1): LevelTable {
  return frequencies(vectors.map((v) => ({ vector: v, weight: 1 })), levels, smoothing);
}

/**
 * Fellegi–Sunter parameters by expectation–maximisation over unlabelled comparison vectors
 * (conditional independence of the fields given match status). Identical vectors are counted once
 * with their multiplicity, so a large sample of few distinct patterns is cheap.
 */
export function estimateEm(vectors: readonly ComparisonVector[], levels: FieldLevels, options: EmOptions): EmResult {
  const smoothing = options.smoothing ?? 1;
  const patterns = groupVectors(vectors);
  const fields = Object.keys(levels) as ComparisonField[];
  const probabilities = (side: 'm' | 'u'): LevelTable => Object.fromEntries(fields.map((f) => [f, normalise(levels[f]!, (l) => options.start[f]?.[l]?.[side] ?? 1)]));
  let m = probabilities('m');
  let u = options.fixedU ?? probabilities('u');
  let lambda = options.lambda;
  const maxIterations = options.maxIterations ?? 200;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // E: the probability each pattern is a match under the current parameters (in log space: many small factors).
    const matchShare = patterns.map(({ vector }) => {
      let logMatch = Math.log(lambda);
      let logNon = Math.log(1 - lambda);
      for (const f of fields) {
        const level = vector[f];
        if (level === null || level === undefined || m[f]![level] === undefined) continue;
        logMatch += Math.log(m[f]![level]);
        logNon += Math.log(u[f]![level]);
      }
      return 1 / (1 + Math.exp(logNon - logMatch));
    });
    // M: level frequencies weighted by match (m) and non-match (u) probability; λ the mean match probability.
    const total = patterns.reduce((s, p) => s + p.count, 0);
    const nextLambda = clamp(patterns.reduce((s, p, i) => s + p.count * matchShare[i], 0) / total);
    const nextM = frequencies(patterns.map((p, i) => ({ vector: p.vector, weight: p.count * matchShare[i] })), levels, smoothing);
    const nextU = options.fixedU ?? frequencies(patterns.map((p, i) => ({ vector: p.vector, weight: p.count * (1 - matchShare[i]) })), levels, smoothing);
    const moved = Math.max(Math.abs(nextLambda - lambda), largestMove(m, nextM), largestMove(u, nextU));
    m = nextM;
    u = nextU;
    lambda = nextLambda;
    if (moved < (options.tolerance ?? 1e-6)) return { m, u, lambda, iterations: iteration, converged: true };
  }
  return { m, u, lambda, iterations: maxIterations, converged: false };
}

function groupVectors(vectors: readonly ComparisonVector[]): { vector: ComparisonVector; count: number }[] {
  const byKey = new Map<string, { vector: ComparisonVector; count: number }>();
  for (const vector of vectors) {
    const key = JSON.stringify(Object.entries(vector).sort());
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { vector, count: 1 });
  }
  return [...byKey.values()];
}

/** Weighted level frequencies per field over the vectors where the field was compared, Laplace-smoothed. */
function frequencies(weighted: { vector: ComparisonVector; weight: number }[], levels: FieldLevels, smoothing: number): LevelTable {
  const table: LevelTable = {};
  for (const field of Object.keys(levels) as ComparisonField[]) {
    const counts: Record<string, number> = Object.fromEntries(levels[field]!.map((l) => [l, smoothing]));
    for (const { vector, weight } of weighted) {
      const level = vector[field];
      if (level !== null && level !== undefined && level in counts) counts[level] += weight;
    }
    table[field] = normalise(levels[field]!, (l) => counts[l]);
  }
  return table;
}

function normalise(levels: readonly string[], value: (level: string) => number): Record<string, number> {
  const sum = levels.reduce((s, l) => s + value(l), 0);
  return Object.fromEntries(levels.map((l) => [l, sum > 0 ? value(l) / sum : 1 / levels.length]));
}

function largestMove(a: LevelTable, b: LevelTable): number {
  let largest = 0;
  for (const [field, levels] of Object.entries(a)) for (const [level, p] of Object.entries(levels ?? {})) largest = Math.max(largest, Math.abs(p - (b[field as ComparisonField]?.[level] ?? 0)));
  return largest;
}

/** λ stays strictly between 0 and 1: at either end the E-step's logarithms diverge. */
function clamp(lambda: number): number {
  return Math.min(1 - 1e-9, Math.max(1e-9, lambda));
}

/** The levels config/matching.json defines per field: what training estimates. */
export function levelsOf(weights: MatchWeights): FieldLevels {
  return Object.fromEntries(Object.entries(weights.fields).map(([field, levels]) => [field, Object.keys(levels)]));
}

/** Estimated m and u in the shape of config/matching.json; the thresholds are kept from the current weights. */
export function toMatchWeights(current: MatchWeights, m: LevelTable, u: LevelTable): MatchWeights {
  const round = (p: number) => Number(p.toPrecision(4));
  const fields = Object.fromEntries(Object.entries(current.fields).map(([field, levels]) => [field, Object.fromEntries(Object.keys(levels).map((level) => {
    const f = field as ComparisonField;
    return [level, { m: round(m[f]?.[level] ?? levels[level].m), u: round(u[f]?.[level] ?? levels[level].u) }];
  }))])) as MatchWeights['fields'];
  return { mergeAbove: current.mergeAbove, reviewAbove: current.reviewAbove, fields };
}

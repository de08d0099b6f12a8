/**
 * Pairwise clustering quality: two rows are a pair when they describe the same entity. Counts are
 * sums of C(n, 2) over clusters and their intersections, so no pair is ever enumerated.
 */

/** One source row and the entity the ground truth says it describes. */
export interface TruthRow { key: string; truthId: string }
/** One source row and the registry entity it was linked to. */
export interface PredictedRow { key: string; predictedId: string }
export type Rows<T> = Iterable<T> | AsyncIterable<T>;

export interface PairwiseCounts {
  /** Truth rows scored, and how many of them the registry linked to an entity. */
  rows: number;
  linkedRows: number;
  truthEntities: number;
  /** Distinct registry entities the truth rows were linked to (unlinked rows are not entities). */
  predictedEntities: number;
  truthPairs: number;
  predictedPairs: number;
  truePairs: number;
  /** null when there is nothing to divide by (no predicted pairs, no truth pairs). */
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

const pairsIn = (n: number) => (n * (n - 1)) / 2;

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sumOfPairs(counts: Map<string, number>): number {
  let pairs = 0;
  for (const n of counts.values()) pairs += pairsIn(n);
  return pairs;
}

/** Key → predicted entity; a key linked twice keeps its first entity. */
async function predictionsByKey(predicted: Rows<PredictedRow>): Promise<Map<string, string>> {
  const byKey = new Map<string, string>();
  for await (const row of predicted) if (!byKey.has(row.key)) byKey.set(row.key, row.predictedId);
  return byKey;
}

/**
 * Scores the predicted clustering of the truth rows. Predicted rows whose key is not among the truth
 * rows are ignored; truth rows without a prediction (rejected, not linked) are singletons, which
 * costs recall and never precision.
 */
export async function pairwiseCounts(truth: Rows<TruthRow>, predicted: Rows<PredictedRow>): Promise<PairwiseCounts> {
  const predictedOf = await predictionsByKey(predicted);
  const truthSizes = new Map<string, number>();
  const predictedSizes = new Map<string, number>();
  const overlapSizes = new Map<string, number>();
  let rows = 0;
  let linkedRows = 0;
  for await (const { key, truthId } of truth) {
    rows++;
    increment(truthSizes, truthId);
    const predictedId = predictedOf.get(key);
    if (predictedId === undefined) continue;
    linkedRows++;
    increment(predictedSizes, predictedId);
    increment(overlapSizes, JSON.stringify([truthId, predictedId]));
  }
  const truthPairs = sumOfPairs(truthSizes);
  const predictedPairs = sumOfPairs(predictedSizes);
  const truePairs = sumOfPairs(overlapSizes);
  return {
    rows,
    linkedRows,
    truthEntities: truthSizes.size,
    predictedEntities: predictedSizes.size,
    truthPairs,
    predictedPairs,
    truePairs,
    precision: predictedPairs > 0 ? truePairs / predictedPairs : null,
    recall: truthPairs > 0 ? truePairs / truthPairs : null,
    // 2PR/(P+R) written with counts, so it is defined whenever either side has pairs.
    f1: predictedPairs + truthPairs > 0 ? (2 * truePairs) / (predictedPairs + truthPairs) : null,
  };
}

/** The pairs of truth entities (e.g. hard negatives) that share at least one predicted entity. */
export async function mergedTruthPairs(
  pairs: Iterable<readonly [string, string]>,
  truth: Rows<TruthRow>,
  predicted: Rows<PredictedRow>,
): Promise<[string, string][]> {
  const predictedOf = await predictionsByKey(predicted);
  const entitiesOf = new Map<string, Set<string>>();
  for await (const { key, truthId } of truth) {
    const predictedId = predictedOf.get(key);
    if (predictedId === undefined) continue;
    if (!entitiesOf.has(truthId)) entitiesOf.set(truthId, new Set());
    entitiesOf.get(truthId)!.add(predictedId);
  }
  const merged: [string, string][] = [];
  for (const [a, b] of pairs) {
    const ofA = entitiesOf.get(a);
    const ofB = entitiesOf.get(b);
    if (ofA && ofB && [...ofA].some((id) => ofB.has(id))) merged.push([a, b]);
  }
  return merged;
}

import { mergedTruthPairs, pairwiseCounts, PredictedRow, TruthRow } from './pairwise';

/** 'A:r1,r2 B:r3' → rows r1, r2 in cluster A and r3 in cluster B. */
function clusters(spec: string): { key: string; id: string }[] {
  return spec.split(' ').filter(Boolean).flatMap((cluster) => {
    const [id, keys] = cluster.split(':');
    return keys.split(',').map((key) => ({ key, id }));
  });
}
const truth = (spec: string): TruthRow[] => clusters(spec).map(({ key, id }) => ({ key, truthId: id }));
const predicted = (spec: string): PredictedRow[] => clusters(spec).map(({ key, id }) => ({ key, predictedId: id }));

async function* streamed<T>(rows: T[]): AsyncIterable<T> {
  yield* rows;
}

describe('pairwiseCounts', () => {
  it('scores a perfect clustering 1 whatever the entities are called', async () => {
    const counts = await pairwiseCounts(truth('A:1,2,3 B:4,5'), predicted('x:4,5 y:1,2,3'));
    expect(counts).toEqual({
      rows: 5, linkedRows: 5, truthEntities: 2, predictedEntities: 2,
      truthPairs: 4, predictedPairs: 4, truePairs: 4, precision: 1, recall: 1, f1: 1,
    });
  });

  it('counts a rejected or unlinked row as a singleton: recall drops, precision does not', async () => {
    // Row 3 was rejected, so it has no prediction; row 2 was never linked either.
    const counts = await pairwiseCounts(truth('A:1,2,3,4'), predicted('x:1,4'));
    expect(counts).toMatchObject({ rows: 4, linkedRows: 2, truthPairs: 6, predictedPairs: 1, truePairs: 1, precision: 1, recall: 1 / 6 });
    expect(counts.f1).toBeCloseTo((2 * 1) / (1 + 6));
  });

  it('leaves precision and recall undefined when there are no pairs, and counts entities', async () => {
    const counts = await pairwiseCounts(truth('A:1 B:2 C:3'), predicted('x:1 y:2'));
    expect(counts).toMatchObject({
      rows: 3, linkedRows: 2, truthEntities: 3, predictedEntities: 2,
      truthPairs: 0, predictedPairs: 0, truePairs: 0, precision: null, recall: null, f1: null,
    });
  });

  it('scores a split: every predicted pair is right, two thirds of the true pairs are missed', async () => {
    const counts = await pairwiseCounts(truth('A:1,2,3,4'), predicted('x:1,2 y:3,4'));
    expect(counts).toMatchObject({ truthPairs: 6, predictedPairs: 2, truePairs: 2, precision: 1, recall: 1 / 3, f1: 0.5 });
  });

  it('scores a merge: every true pair is found, but two thirds of the predicted pairs are wrong', async () => {
    const counts = await pairwiseCounts(truth('A:1,2 B:3,4'), predicted('x:1,2,3,4'));
    expect(counts).toMatchObject({ truthEntities: 2, predictedEntities: 1, truthPairs: 2, predictedPairs: 6, truePairs: 2, precision: 1 / 3, recall: 1, f1: 0.5 });
  });

  it('scores a split and a merge in one clustering', async () => {
    // A is split across x and y; y also swallows B.
    const counts = await pairwiseCounts(truth('A:1,2,3 B:4,5'), predicted('x:1,2 y:3,4,5'));
    expect(counts).toMatchObject({ truthPairs: 4, predictedPairs: 4, truePairs: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('ignores predicted rows that are not in the truth (invalid rows, rows of other types)', async () => {
    const counts = await pairwiseCounts(truth('A:1 B:2'), predicted('x:1,9 y:2,8,7'));
    expect(counts).toMatchObject({ rows: 2, linkedRows: 2, predictedEntities: 2, predictedPairs: 0 });
  });

  it('keeps the first entity of a row linked twice', async () => {
    const counts = await pairwiseCounts(truth('A:1,2'), predicted('x:1,2 y:2'));
    expect(counts).toMatchObject({ predictedEntities: 1, predictedPairs: 1, truePairs: 1 });
  });

  it('reads async iterables', async () => {
    const counts = await pairwiseCounts(streamed(truth('A:1,2 B:3')), streamed(predicted('x:1,2,3')));
    expect(counts).toMatchObject({ truthPairs: 1, predictedPairs: 3, truePairs: 1 });
  });
});

describe('mergedTruthPairs', () => {
  it('finds the pairs of truth entities that share a predicted entity, through any of their rows', async () => {
    const rows = truth('P1:1,2 P2:3 P3:4 P4:5');
    // P1 is split across x and y; y also holds P2. P3 and P4 stay apart; P4 is not linked at all.
    const linked = predicted('x:1 y:2,3 z:4');
    const merged = await mergedTruthPairs([['P1', 'P2'], ['P3', 'P4'], ['P2', 'P3'], ['P9', 'P1']], rows, linked);
    expect(merged).toEqual([['P1', 'P2']]);
  });
});

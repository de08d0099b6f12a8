import { bucketOf, MERGE_BUCKETS, planFor, WHOLE_REGISTRY_LOCKS, widen } from './merge-partitions';

describe('merge partitions', () => {
  it('puts a key in one bucket of 1..MERGE_BUCKETS, the same on every call and in every process (bucket 0 is the gate)', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `n:张${i}`);
    for (const key of keys) {
      const bucket = bucketOf(key);
      expect(bucket).toBeGreaterThanOrEqual(1);
      expect(bucket).toBeLessThanOrEqual(MERGE_BUCKETS);
      expect(bucketOf(key)).toBe(bucket);
    }
    // FNV-1a is fixed: workers of two versions must agree on a key's bucket.
    expect(bucketOf('')).toBe((0x811c9dc5 % MERGE_BUCKETS) + 1);
    // Fine buckets: 2,000 keys nearly never share one.
    expect(new Set(keys.map(bucketOf)).size).toBeGreaterThan(1990);
  });

  it('locks buckets in ascending order, once each, and the whole registry past WHOLE_REGISTRY_LOCKS of them', () => {
    const plan = planFor(['t:b', 'n:a', 'n:a', 'p:c']);
    expect(plan.whole).toBe(false);
    expect(plan.buckets).toEqual([...new Set(['t:b', 'n:a', 'p:c'].map(bucketOf))].sort((a, b) => a - b));
    const many = Array.from({ length: WHOLE_REGISTRY_LOCKS * 2 }, (_, i) => `h:${i}`);
    expect(planFor(many)).toEqual({ whole: true, buckets: [] });
    expect(planFor(many.slice(0, 10), true)).toEqual({ whole: true, buckets: [] });
  });

  it('widens a plan to the union of two, and to the whole registry when either is or the union grows too large', () => {
    const a = planFor(['n:a', 'n:b']);
    const b = planFor(['n:b', 'n:c']);
    expect(widen(a, b).buckets).toEqual(planFor(['n:a', 'n:b', 'n:c']).buckets);
    expect(widen(a, planFor([], true)).whole).toBe(true);
    const half = (from: number) => planFor(Array.from({ length: WHOLE_REGISTRY_LOCKS - 10 }, (_, i) => `h:${from + i}`));
    expect(widen(half(0), half(0)).whole).toBe(false);
    expect(widen(half(0), half(100_000)).whole).toBe(true);
  });
});

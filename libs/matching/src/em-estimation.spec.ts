import { ComparisonVector, estimateEm, estimateU, FieldLevels } from './em-estimation';

/** A small deterministic generator (mulberry32): the same synthetic pairs on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LEVELS: FieldLevels = { name: ['exact', 'similar', 'differ'], birthDate: ['exact', 'year', 'differ'], phone: ['agree', 'differ'], gender: ['agree', 'differ'] };
const TRUE_M = { name: { exact: 0.85, similar: 0.1, differ: 0.05 }, birthDate: { exact: 0.8, year: 0.15, differ: 0.05 }, phone: { agree: 0.7, differ: 0.3 }, gender: { agree: 0.97, differ: 0.03 } };
const TRUE_U = { name: { exact: 0.05, similar: 0.15, differ: 0.8 }, birthDate: { exact: 0.02, year: 0.1, differ: 0.88 }, phone: { agree: 0.01, differ: 0.99 }, gender: { agree: 0.5, differ: 0.5 } };
const TRUE_LAMBDA = 0.15;

function draw(next: () => number, p: Record<string, number>): string {
  let r = next();
  for (const [level, q] of Object.entries(p)) if ((r -= q) < 0) return level;
  return Object.keys(p).at(-1)!;
}

/** Vectors drawn from the true parameters; a field is missing (null) in a tenth of the pairs. */
function synthetic(n: number, seed: number, lambda = TRUE_LAMBDA): ComparisonVector[] {
  const next = random(seed);
  return Array.from({ length: n }, () => {
    const table = next() < lambda ? TRUE_M : TRUE_U;
    return Object.fromEntries(Object.entries(table).map(([field, p]) => [field, next() < 0.1 ? null : draw(next, p)]));
  });
}

/** Deliberately poor starting values: every m and u a flat guess with a slight lean the right way. */
const START = Object.fromEntries(Object.entries(LEVELS).map(([field, levels]) => [field, Object.fromEntries(levels!.map((l, i) => [l, { m: i === 0 ? 0.6 : 0.4 / (levels!.length - 1), u: i === 0 ? 0.2 : 0.8 / (levels!.length - 1) }]))]));

function expectClose(actual: Record<string, Record<string, number> | undefined>, expected: Record<string, Record<string, number>>, tolerance: number): void {
  for (const [field, levels] of Object.entries(expected)) {
    for (const [level, p] of Object.entries(levels)) {
      const got = actual[field]?.[level];
      if (got === undefined || Math.abs(got - p) > tolerance) throw new Error(`${field}.${level}: estimated ${got}, true ${p} (tolerance ${tolerance})`);
    }
  }
}

describe('Fellegi–Sunter estimation by EM', () => {
  it('recovers m, u and λ from unlabelled vectors', () => {
    const result = estimateEm(synthetic(40_000, 7), LEVELS, { start: START, lambda: 0.5 });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lambda - TRUE_LAMBDA)).toBeLessThan(0.01);
    expectClose(result.m, TRUE_M, 0.03);
    expectClose(result.u, TRUE_U, 0.02);
  });

  it('recovers m with u held fixed at what random pairs show', () => {
    const u = estimateU(synthetic(20_000, 11, 0), LEVELS);
    expectClose(u, TRUE_U, 0.015);
    const result = estimateEm(synthetic(20_000, 13), LEVELS, { start: START, fixedU: u, lambda: 0.5 });
    expect(result.u).toBe(u);
    expect(Math.abs(result.lambda - TRUE_LAMBDA)).toBeLessThan(0.015);
    expectClose(result.m, TRUE_M, 0.03);
  });

  it('keeps a level never observed above zero (Laplace smoothing), so its weight stays finite', () => {
    const vectors: ComparisonVector[] = synthetic(5_000, 17).map((v) => ({ ...v, name: v.name === 'similar' ? 'differ' : v.name }));
    const result = estimateEm(vectors, LEVELS, { start: START, lambda: 0.5 });
    expect(result.m.name!.similar).toBeGreaterThan(0);
    expect(result.u.name!.similar).toBeGreaterThan(0);
    expect(Number.isFinite(Math.log2(result.m.name!.similar / result.u.name!.similar))).toBe(true);
    // Without smoothing the unseen level's probability is exactly 0.
    expect(estimateU(vectors, LEVELS, 0).name!.similar).toBe(0);
  });
});

/**
 * Compares truth/stats.json with the registry's own per-community figures, once the registry has a
 * stats query: a DivisionsService method named stats or communityStats, taking a community code.
 */
import { TruthStats } from './truth';

export type CommunityStatsQuery = (code: string) => Promise<Record<string, unknown> | null | undefined>;

export interface StatsMismatch { code: string; field: string; truth: number; registry: number | null }

export interface StatsComparison { method: string; communities: number; fieldsCompared: number; mismatches: StatsMismatch[] }

const STATS_METHOD = /^(community)?stats$/i;
/** Shares such as minorityShare are rounded to 4 places in the truth. */
const TOLERANCE = 5e-5;

export function findStatsQuery(service: object): { method: string; query: CommunityStatsQuery } | null {
  const method = Object.getOwnPropertyNames(Object.getPrototypeOf(service)).find((name) => STATS_METHOD.test(name));
  if (!method) return null;
  const fn = (service as Record<string, unknown>)[method];
  return typeof fn === 'function' ? { method, query: (code) => fn.call(service, code) } : null;
}

/** Every numeric truth figure of every community against the registry's figure of the same name. */
export async function compareCommunityStats(truth: TruthStats, method: string, query: CommunityStatsQuery): Promise<StatsComparison> {
  const result: StatsComparison = { method, communities: 0, fieldsCompared: 0, mismatches: [] };
  for (const [code, figures] of Object.entries(truth.communities)) {
    const registry = (await query(code)) ?? {};
    result.communities++;
    for (const [field, expected] of Object.entries(figures)) {
      if (typeof expected !== 'number') continue;
      result.fieldsCompared++;
      const actual = registry[field];
      if (typeof actual === 'number' && Math.abs(actual - expected) <= TOLERANCE) continue;
      result.mismatches.push({ code, field, truth: expected, registry: typeof actual === 'number' ? actual : null });
    }
  }
  return result;
}

/** Compares truth/stats.json with the figures the registry reports for each community and the city. */
import { CITY_CODE } from '@qc/divisions';
import { TruthStats } from './truth';

/** The registry's figures of a division (DivisionStatsService.stats). */
export type StatsQuery = (code: string) => Promise<object>;

export interface StatsMismatch { code: string; name: string; field: string; truth: number; registry: number | null }

/** communities: how many were compared; the city always is. */
export interface StatsComparison { communities: number; figuresCompared: number; mismatches: StatsMismatch[] }

/** Shares such as minorityShare are rounded to 4 places on both sides. */
const TOLERANCE = 5e-5;
/** The registry holds every reference community of Hohhot; a city holds only the ones it was made with. */
const INCOMPARABLE_CITY_FIGURES = new Set(['communities']);

export async function compareStats(truth: TruthStats, query: StatsQuery): Promise<StatsComparison> {
  const result: StatsComparison = { communities: 0, figuresCompared: 0, mismatches: [] };
  const compare = async (code: string, name: string, figures: Record<string, unknown>, skip = new Set<string>()) => {
    const registry = (await query(code)) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(figures)) {
      if (typeof expected !== 'number' || skip.has(field)) continue;
      result.figuresCompared++;
      const actual = typeof registry[field] === 'number' ? (registry[field] as number) : null;
      if (actual === null || Math.abs(actual - expected) > TOLERANCE) result.mismatches.push({ code, name, field, truth: expected, registry: actual });
    }
  };
  for (const [code, figures] of Object.entries(truth.communities)) {
    await compare(code, String(figures.name ?? code), figures);
    result.communities++;
  }
  await compare(CITY_CODE, 'city', truth.city, INCOMPARABLE_CITY_FIGURES);
  return result;
}

/** One line per figure that differs somewhere: how often, and the first example. */
export function describeMismatches(comparison: StatsComparison): string[] {
  const byField = new Map<string, StatsMismatch[]>();
  for (const m of comparison.mismatches) byField.set(m.field, [...(byField.get(m.field) ?? []), m]);
  return [...byField].map(([field, [first, ...rest]]) =>
    `  ${field}: differs in ${rest.length + 1} (e.g. ${first.name}: truth ${first.truth}, registry ${first.registry ?? 'none'})`);
}

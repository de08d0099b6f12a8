import { BenchmarkGroup, figure, log, ratioOf, WORKER_RSS_LIMIT_MB } from './benchmark';
import { s1Fixture } from './s1-import.bench';
import { createBenchDatabase } from './support/bench-database';
import { importWithCli } from './support/cli-import';
import { positiveEnv } from './support/options';

/** The issue's bound on growth: time per row at a larger size within this factor of the base size's. */
const LINEAR_WITHIN = 1.3;
/** Each figure's size as a multiple of the base size (BENCH_SCALE_BASE members, default 100,000). */
const FACTORS: Record<string, number> = { 's1-scale-10x': 10, 's1-scale-30x': 30 };

interface SizedRun { rows: number; seconds: number | null; peakRssMb: number | null; error: string | null }

/**
 * Whether an import grows linearly: S1 exports of the same city generator at the base size and at
 * 10× and 30× it, each imported into a fresh registry, one after the other in one run; time per row
 * against the base size's.
 */
export const S1_SCALE_BENCHMARKS: BenchmarkGroup = {
  names: Object.keys(FACTORS),
  async run(selected, context) {
    const base = positiveEnv('BENCH_SCALE_BASE', 100_000);
    const importAt = async (members: number): Promise<SizedRun> => {
      const fixture = await s1Fixture({ ...context, options: { ...context.options, rows: members } });
      const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
      try {
        const run = await importWithCli(fixture.file, database.env, 'completed');
        log(`s1-scale: ${fixture.rows.toLocaleString('en-US')} rows: ${run.error ?? `${run.seconds.toFixed(1)} s, ${((run.seconds / fixture.rows) * 1e6).toFixed(0)} µs/row, peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB`}`);
        return { rows: fixture.rows, seconds: run.error ? null : run.seconds, peakRssMb: run.peakRssMb, error: run.error };
      } finally {
        await database.drop();
      }
    };
    const perRow = (run: SizedRun) => (run.seconds === null ? null : (run.seconds / run.rows) * 1e6);
    const baseline = await importAt(base);
    const figures = [];
    for (const name of selected.filter((n) => n in FACTORS)) {
      const run = await importAt(base * FACTORS[name]);
      const ratio = ratioOf(perRow(run), perRow(baseline));
      figures.push(figure(context, {
        name,
        value: perRow(run),
        unit: 'µs/row',
        baseline: { name: `the same import at ${baseline.rows.toLocaleString('en-US')} rows, per row`, value: perRow(baseline) },
        ratio,
        rows: run.rows,
        peakRssMb: run.peakRssMb,
        goal: `ratio = time per row at ${FACTORS[name]}× the base size ÷ time per row at the base size ≤ ${LINEAR_WITHIN} (the whole import grows linearly), and the importing process peaks below ${WORKER_RSS_LIMIT_MB} MB RSS`,
        goalMet: ratio === null || run.peakRssMb === null ? null : ratio <= LINEAR_WITHIN && run.peakRssMb < WORKER_RSS_LIMIT_MB,
        error: run.error ?? (baseline.error ? `the base size failed: ${baseline.error}` : null),
      }));
    }
    return figures;
  },
};

import { cpus, loadavg } from 'node:os';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf } from './benchmark';
import { createBenchDatabase } from './support/bench-database';
import { COMPILED_CLI, ensureCompiled } from './support/compiled-cli';
import { ChildRun, runMeasuredNode } from './support/measured-child';
import { bestOfAlternating, Timed } from './support/timer';
import { Figure } from './support/results-file';

const BASELINE = 'node -e 0 (a bare Node.js start)';

interface StartupCase {
  name: string;
  args: string[];
  /** The goal: a simple command well under a second; one that reads the registry connects first. */
  limitSeconds: number;
  what: string;
}

const CASES: readonly StartupCase[] = [
  { name: 'cli-startup-help', args: ['--help'], limitSeconds: 0.5, what: '`qingcheng --help`' },
  { name: 'cli-startup-command-help', args: ['import', '--help'], limitSeconds: 0.5, what: '`qingcheng import --help`' },
  { name: 'cli-startup-config', args: ['config'], limitSeconds: 0.5, what: '`qingcheng config` (loads and validates the configuration)' },
  { name: 'cli-startup-keys-list', args: ['keys', 'list'], limitSeconds: 1, what: '`qingcheng keys list` (connects to PostgreSQL, one query)' },
  { name: 'cli-startup-imports', args: ['imports'], limitSeconds: 1, what: '`qingcheng imports` (connects to PostgreSQL and Redis, one query)' },
];

/**
 * Start-up of the compiled CLI, command by command, against a bare `node -e 0` in the same rounds:
 * each round runs every command and the baseline once, in a rotating order, and each keeps its
 * fastest round (the machine is shared; the best round is the one least disturbed). The time is the
 * child's, from spawn to exit.
 */
export const CLI_STARTUP_BENCHMARKS: BenchmarkGroup = {
  names: ['cli-startup'],
  async run(_selected, context) {
    ensureCompiled();
    const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
    try {
      const env = { ...database.env, LOG_LEVEL: 'warn' };
      const run = (script: string, args: string[]) => async () => {
        const child = await runMeasuredNode(script, args, env);
        if (child.exitCode !== 0) throw new Error(`${args.join(' ')} exited with ${child.exitCode ?? child.signal}: ${child.stderr.trim().split('\n').slice(-2).join(' ')}`);
        return child;
      };
      // One uncounted round warms the file cache and takes a failing command out before anything is timed.
      const failures = new Map<StartupCase, string>();
      for (const c of CASES) {
        await run(COMPILED_CLI, c.args)().catch((err: Error) => {
          log(`cli-startup: ${err.message}`);
          failures.set(c, err.message);
        });
      }
      const timedCases = CASES.filter((c) => !failures.has(c));
      const rounds = Math.max(5, context.options.repeat);
      // Start-up is mostly loading files and compiling them: the machine's load says how far the times are from an idle one.
      log(`cli-startup: best of ${rounds} rounds of ${timedCases.length} commands and ${BASELINE}; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
      const [baseline, ...best] = await bestOfAlternating(rounds, [run('-e', ['0']), ...timedCases.map((c) => run(COMPILED_CLI, c.args))]);
      return CASES.map((c) => startupFigure(context, c, best[timedCases.indexOf(c)] ?? null, baseline, failures.get(c) ?? null));
    } finally {
      await database.drop();
    }
  },
};

function startupFigure(context: BenchContext, c: StartupCase, best: Timed<ChildRun> | null, baseline: Timed<ChildRun>, failure: string | null): Figure {
  const value = best?.value.seconds ?? null;
  const base = baseline.value.seconds;
  if (value !== null) log(`cli-startup: ${c.args.join(' ')}: ${value.toFixed(3)} s (${BASELINE}: ${base.toFixed(3)} s), peak RSS ${best!.value.peakRssMb?.toFixed(0) ?? '?'} MB`);
  return figure(context, {
    name: c.name,
    value,
    unit: 's',
    baseline: { name: BASELINE, value: base },
    ratio: ratioOf(value, base),
    rows: 0,
    peakRssMb: best?.value.peakRssMb ?? null,
    goal: `${c.what} on the compiled build, from start to exit, under ${c.limitSeconds} s (issue 18: a simple command well under a second); the ratio says how much more than a bare Node.js start it takes`,
    goalMet: value === null ? null : value < c.limitSeconds,
    error: failure ?? (value === null ? 'no successful round' : null),
  });
}

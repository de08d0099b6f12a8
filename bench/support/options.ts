export interface BenchOptions {
  /** Benchmarks to run; all of them when none is named. */
  names: string[];
  /** S1 fixture size: party members in the generated city (the CSV gets about 2% more rows: people who moved). */
  rows: number;
  /** S3 fixture size: roster rows of the big community ledger. */
  s3Rows: number;
  /** Rounds of the in-process comparisons; each side keeps its best. */
  repeat: number;
  seed: string;
}

export const DEFAULT_OPTIONS: Omit<BenchOptions, 'names'> = { rows: 1_000_000, s3Rows: 200_000, repeat: 3, seed: '20240301' };

export class BenchUsageError extends Error {}

/** `[NAME...] [--rows N] [--s3-rows N] [--repeat N] [--seed S]`; BENCH_ROWS, BENCH_S3_ROWS, BENCH_REPEAT, BENCH_SEED when a flag is absent. */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv, known: readonly string[]): BenchOptions {
  const flags = new Map<string, string>();
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      names.push(arg);
      continue;
    }
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, argv[++i]];
    if (!['--rows', '--s3-rows', '--repeat', '--seed'].includes(flag)) throw new BenchUsageError(`unknown option ${flag}`);
    if (inline === undefined) throw new BenchUsageError(`${flag} needs a value`);
    flags.set(flag, inline);
  }
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) throw new BenchUsageError(`unknown benchmark ${unknown.join(', ')}; known: ${known.join(', ')}`);
  const count = (flag: string, variable: string, fallback: number) => {
    const text = flags.get(flag) ?? env[variable];
    if (text === undefined || text === '') return fallback;
    const n = Number(text.replace(/[_,]/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new BenchUsageError(`${flag} (${variable}) must be a positive whole number, not ${text}`);
    return n;
  };
  const seed = flags.get('--seed') || env.BENCH_SEED || DEFAULT_OPTIONS.seed;
  // The seed names the fixture's cache folder.
  if (!/^[\w-]+$/.test(seed)) throw new BenchUsageError(`--seed (BENCH_SEED) must be letters, digits, _ or -, not ${seed}`);
  return {
    names: names.length > 0 ? [...new Set(names)] : [...known],
    rows: count('--rows', 'BENCH_ROWS', DEFAULT_OPTIONS.rows),
    s3Rows: count('--s3-rows', 'BENCH_S3_ROWS', DEFAULT_OPTIONS.s3Rows),
    repeat: count('--repeat', 'BENCH_REPEAT', DEFAULT_OPTIONS.repeat),
    seed,
  };
}

/** A positive whole number from the environment (1_000 and 1,000 read as 1000), or the fallback when unset. */
export function positiveEnv(variable: string, fallback: number): number {
  const text = process.env[variable];
  if (text === undefined || text === '') return fallback;
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`${variable} must be a positive whole number, not ${text}`);
  return n;
}

/**
 * `npm run bench [-- NAME...] [--rows N] [--s3-rows N] [--repeat N] [--seed S]`: measures the
 * ingestion workers against real PostgreSQL and Redis and records the figures in bench/results.json
 * and bench/RESULTS.md (a subset replaces only its own entries).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import Redis from 'ioredis';
import { PROJECT_ROOT } from '@qc/config';
import { API_BENCHMARKS } from './api-read.bench';
import { BenchContext, BenchmarkGroup, log } from './benchmark';
import { CLI_STARTUP_BENCHMARKS } from './cli-startup.bench';
import { MATCH_SCALE_BENCHMARKS } from './match-scale.bench';
import { PARALLEL_BENCHMARKS } from './parallel-import.bench';
import { REPORT_BENCHMARKS } from './report-xlsx.bench';
import { S1_BENCHMARKS } from './s1-import.bench';
import { S1_SCALE_BENCHMARKS } from './s1-scale.bench';
import { S3_BENCHMARKS } from './s3-xlsx.bench';
import { STAGE_WORKER_BENCHMARKS } from './stage-workers.bench';
import { dropAllBenchDatabases, runSql } from './support/bench-database';
import { describeMachine } from './support/machine';
import { BenchUsageError, DEFAULT_OPTIONS, parseBenchOptions } from './support/options';
import { Figure, writeResults } from './support/results-file';

const GROUPS: readonly BenchmarkGroup[] = [S1_BENCHMARKS, S3_BENCHMARKS, API_BENCHMARKS, REPORT_BENCHMARKS, MATCH_SCALE_BENCHMARKS, CLI_STARTUP_BENCHMARKS, PARALLEL_BENCHMARKS, STAGE_WORKER_BENCHMARKS, S1_SCALE_BENCHMARKS];
const ALL_NAMES = GROUPS.flatMap((group) => group.names);
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const RESULTS_JSON = join(__dirname, 'results.json');
const RESULTS_MARKDOWN = join(__dirname, 'RESULTS.md');

const HOW_TO_REPRODUCE = `
\`\`\`sh
npm run bench                                   # every figure at full size
npm run bench -- s1-import s1-reimport          # only these; the other entries are kept
BENCH_ROWS=20000 BENCH_S3_ROWS=5000 npm run bench  # a quick run at small sizes
\`\`\`

- Services: \`DATABASE_URL\` (default \`${DEFAULT_DATABASE_URL}\`) and \`REDIS_URL\` (default
  \`${DEFAULT_REDIS_URL}\`). Each benchmark works in a database of its own, \`qc_bench_<random>\`, migrated and
  seeded like \`db migrate\` and \`db seed\`, with its own queue prefix; both are dropped afterwards.
- Sizes: \`--rows N\` / \`BENCH_ROWS\` (S1 party members, default ${DEFAULT_OPTIONS.rows.toLocaleString('en-US')}; the CSV has about 2% more
  rows, for people who moved), \`--s3-rows N\` / \`BENCH_S3_ROWS\` (S3 roster rows, default ${DEFAULT_OPTIONS.s3Rows.toLocaleString('en-US')}),
  \`--repeat N\` / \`BENCH_REPEAT\` (rounds of the in-process read comparison, default ${DEFAULT_OPTIONS.repeat}), \`--seed S\` / \`BENCH_SEED\`
  (default ${DEFAULT_OPTIONS.seed}).
- \`api\` fills a registry of \`BENCH_API_PERSONS\` persons (default 100,000) with SQL and loads the API (a child process,
  Redis-backed rate limit) and a plain Fastify server running the same read-model SQL with 50 keep-alive loopback
  connections for \`BENCH_API_SECONDS\` (default 10) per side and round (best of \`--repeat\` rounds): GET /v1/persons/{id},
  an organization tree, a name search, in a registry vacuumed and checkpointed after its fill. The \`-p99\` figures come from an
  open loop (like wrk2) offering both servers the same rate, half the plain handler's saturated throughput, each round after one
  uncounted second of it, with each request's latency counted from its due time; \`-p99-saturated\` is the
  closed loop's queue latency, for reference.
- \`report\` fills a city of \`BENCH_REPORT_ROWS\` members (default: \`--rows\`) with SQL, then, each in a child process, streams
  its roster to a workbook against exceljs's WorkbookWriter writing as many rows with no query (\`report-roster\`), and
  writes its structure report against the city's stats (\`report-structure\`).
- \`match-registry-3x\`, \`match-registry-10x\` import one S1 batch of \`BENCH_MATCH_BATCH\` members (default 20,000: 70% known
  persons, exactly or with a name typo, a masked or an Excel-damaged ID; 30% new) into registries of \`BENCH_MATCH_REGISTRY\`
  persons (default 100,000; the baseline) and 3× and 10× as many, filled with SQL; \`match-batch-10x\` imports a batch 10× as
  large into the largest registry and compares the time per row.
- \`cli-startup\` runs the compiled CLI (\`--help\`, \`import --help\`, \`config\`, \`keys list\`, \`imports\`) against a bench
  database and Redis, each with a bare \`node -e 0\` in the same rounds (best of \`--repeat\` rounds, at least 5), from spawn to exit.
- \`parallel-import\` cuts the rosters of the four largest districts (\`BENCH_PARALLEL_ROWS\` rows each at most, default 3,000)
  from one generated S1 export and imports them, all submitted at once, by one worker process and then by two (compiled
  worker, \`QC_IMPORT_CONCURRENCY=1\` each, on BullMQ), each time into a fresh database: rows per second from the first batch's
  creation to the last one's end, two workers against one.
- \`s1-scale-10x\`, \`s1-scale-30x\` import S1 exports of \`BENCH_SCALE_BASE\` members (default 100,000), 10× and 30× as many,
  each into a fresh database, one after the other: time per row at each larger size against the base size's.
- \`s1-stage-workers\` cuts one S1 export (\`BENCH_STAGE_ROWS\` members, default \`--rows\`) into 8 byte ranges
  (\`QC_STAGE_RANGE_BYTES\` = its size ÷ 8) and stages it by one worker process and then by two (compiled worker,
  \`QC_IMPORT_CONCURRENCY=1\` each, on BullMQ), each time into a fresh database: rows per second from the batch's creation
  to its last range staged (the pre-scan included, the merge not), two workers against one.
- Fixtures come from \`etl/generate\` and are cached in \`data/bench/<kind>-<size>-seed<seed>/\`.
- Imports build the project first (\`npm run build\`) and run the compiled CLI as a worker is deployed,
  with the node flags of package.json's \`start:worker\` (its heap cap): \`node --max-old-space-size=… dist/apps/cli/src/main.js
  import FILE --json\` in a child process, which consumes its own jobs through BullMQ; its peak RSS is its VmHWM at exit.
`;

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env, ALL_NAMES);
  const adminUrl = serviceUrl('DATABASE_URL', DEFAULT_DATABASE_URL);
  const redisUrl = serviceUrl('REDIS_URL', DEFAULT_REDIS_URL);
  const [{ server_version: pgVersion }] = await runSql(adminUrl, 'SHOW server_version');
  await pingRedis(redisUrl);
  const context: BenchContext = {
    options,
    adminUrl,
    redisUrl,
    fixturesRoot: join(PROJECT_ROOT, 'data', 'bench'),
    machine: describeMachine(String(pgVersion)),
    date: new Date().toISOString(),
  };
  process.once('SIGINT', () => {
    log('interrupted: dropping the bench databases');
    void dropAllBenchDatabases().finally(() => process.exit(130));
  });
  const fresh: Figure[] = [];
  for (const group of GROUPS) {
    const selected = group.names.filter((name) => options.names.includes(name));
    if (selected.length === 0) continue;
    const figures = await group.run(selected, context);
    // Written after each group, so a later crash keeps what was measured.
    writeResults(RESULTS_JSON, RESULTS_MARKDOWN, figures, ALL_NAMES, HOW_TO_REPRODUCE);
    fresh.push(...figures);
  }
  for (const f of fresh) {
    const outcome = f.error ? `FAILED: ${f.error}` : `${f.value} ${f.unit} vs ${f.baseline.value} ${f.unit}, ratio ${f.ratio}, goal ${f.goalMet === null ? '–' : f.goalMet ? 'met' : 'NOT met'}`;
    process.stdout.write(`${f.name}: ${outcome}${f.peakRssMb === null ? '' : `, peak RSS ${f.peakRssMb} MB`}\n`);
  }
  process.stdout.write(`written: ${RESULTS_JSON}, ${RESULTS_MARKDOWN}\n`);
  return fresh.some((f) => f.error) ? 1 : 0;
}

function serviceUrl(variable: string, fallback: string): string {
  const value = process.env[variable];
  if (value) return value;
  log(`${variable} is not set: using ${fallback}`);
  return fallback;
}

async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  async (err: Error) => {
    await dropAllBenchDatabases().catch(() => undefined);
    process.stderr.write(err instanceof BenchUsageError ? `bench: ${err.message}\nusage: npm run bench [-- NAME...] [--rows N] [--s3-rows N] [--repeat N] [--seed S]; names: ${ALL_NAMES.join(', ')}\n` : `bench: ${err.stack ?? err.message}\n`);
    process.exit(err instanceof BenchUsageError ? 2 : 1);
  },
);

import { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity, readRoster, rowsByDistrict, writeRoster } from '../etl/generate';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf } from './benchmark';
import { createBenchDatabase, runSql } from './support/bench-database';
import { importWithCli } from './support/cli-import';
import { COMPILED_WORKER, ensureCompiled, workerNodeFlags } from './support/compiled-cli';
import { cachedFixture } from './support/fixtures';
import { positiveEnv } from './support/options';
import { Figure } from './support/results-file';
import { startChild } from './support/start-child';

const DISTRICTS = 4;
/** What two worker processes on this machine's two cores should give at least, against one. */
const GOAL_RATIO = 1.5;

/**
 * `parallel-import`: the rosters of several districts (`BENCH_PARALLEL_ROWS` rows each at most,
 * default 3,000), all submitted at once, imported by one worker process and then by two (each
 * QC_IMPORT_CONCURRENCY=1, on BullMQ), each run in a fresh database. The figure is rows per second
 * from the first batch's creation to the last one's end (import_batch timestamps, so the CLIs'
 * start-up is not counted), at two workers against one in the same run.
 */
export const PARALLEL_BENCHMARKS: BenchmarkGroup = {
  names: ['parallel-import'],
  async run(_selected, context) {
    const perDistrict = positiveEnv('BENCH_PARALLEL_ROWS', 3000);
    const files = await districtFiles(context, perDistrict);
    const rows = files.reduce((n, f) => n + f.rows, 0);
    log(`parallel: ${files.length} district rosters, ${rows.toLocaleString('en-US')} rows: ${files.map((f) => f.rows).join(', ')}`);
    const one = await importTogether(files.map((f) => f.file), 1, context);
    log(`parallel: 1 worker: ${one.error ?? `${one.seconds!.toFixed(2)} s`}`);
    const two = await importTogether(files.map((f) => f.file), 2, context);
    log(`parallel: 2 workers: ${two.error ?? `${two.seconds!.toFixed(2)} s`}`);
    const rate = (seconds: number | null) => (seconds ? rows / seconds : null);
    const ratio = ratioOf(rate(two.seconds), rate(one.seconds));
    const result: Figure = figure(context, {
      name: 'parallel-import',
      value: rate(two.seconds),
      unit: 'rows/s',
      baseline: { name: `the same ${files.length} district rosters imported by 1 worker process`, value: rate(one.seconds) },
      ratio,
      rows,
      peakRssMb: null,
      goal: `2 worker processes import at least ${GOAL_RATIO}× the rows per second of 1`,
      goalMet: ratio === null ? null : ratio >= GOAL_RATIO,
      error: one.error ?? two.error,
    });
    return [result];
  },
};

/** The largest districts' rosters cut from one generated S1 export, cached beside it. */
async function districtFiles({ fixturesRoot, options: { seed } }: BenchContext, perDistrict: number): Promise<{ file: string; rows: number }[]> {
  const members = perDistrict * DISTRICTS;
  const fixture = await cachedFixture(fixturesRoot, { kind: 'S1', size: members, seed }, (out) => {
    log(`parallel: generating a city of ${members.toLocaleString('en-US')} members into ${out}`);
    return generateCity({ out, seed, members, only: ['S1'], s1Encoding: 'gb18030' });
  });
  const dir = join(fixture.file, '..', `districts-${perDistrict}`);
  if (!existsSync(dir)) {
    const roster = readRoster(fixture.file);
    const largest = [...rowsByDistrict(roster)].sort(([, a], [, b]) => b.length - a.length).slice(0, DISTRICTS);
    // Written beside and renamed into place, so a half-written set is never used.
    const partial = `${dir}.partial-${process.pid}`;
    mkdirSync(partial, { recursive: true });
    for (const [district, list] of largest) writeRoster(join(partial, `党员信息_${district}.csv`), roster.header, list.slice(0, perDistrict));
    renameSync(partial, dir);
  }
  return readdirSync(dir).sort().map((name) => ({ file: join(dir, name), rows: readRoster(join(dir, name)).rows.length }));
}

/**
 * Starts `workers` worker processes on a fresh database, submits every file at once (a CLI per
 * file, which finds the workers online and only waits), and returns the seconds from the first
 * batch's creation to the last batch's end.
 */
async function importTogether(files: string[], workers: number, context: BenchContext): Promise<{ seconds: number | null; error: string | null }> {
  ensureCompiled();
  const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
  const started: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      started.push(await startChild([...workerNodeFlags(), COMPILED_WORKER], { ...database.env, QC_IMPORT_CONCURRENCY: '1' }, 'worker consuming import jobs'));
    }
    const runs = await Promise.all(files.map((file) => importWithCli(file, database.env, 'completed')));
    const failed = runs.find((r) => r.error);
    if (failed) return { seconds: null, error: failed.error };
    const [{ seconds }] = await runSql(database.url, `SELECT extract(epoch FROM max(finished_at) - min(created_at))::float8 AS seconds FROM import_batch`);
    return { seconds: Number(seconds), error: null };
  } finally {
    for (const child of started) child.kill('SIGTERM');
    await database.drop();
  }
}

import { ChildProcess } from 'node:child_process';
import { generateCity } from '../etl/generate';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf } from './benchmark';
import { createBenchDatabase, runSql } from './support/bench-database';
import { importWithCli } from './support/cli-import';
import { COMPILED_WORKER, ensureCompiled, workerNodeFlags } from './support/compiled-cli';
import { cachedFixture, Fixture } from './support/fixtures';
import { positiveEnv } from './support/options';
import { Figure } from './support/results-file';
import { startChild } from './support/start-child';

/** Ranges the file is cut into: enough for two workers to share evenly. */
const RANGES = 8;
/** What two worker processes on this machine's two cores should stage at least, against one. */
const GOAL_RATIO = 1.5;

/**
 * `s1-stage-workers`: one S1 export (GB18030; `BENCH_STAGE_ROWS` members, default `--rows`) cut into
 * 8 byte ranges (QC_STAGE_RANGE_BYTES = its size ÷ 8) and staged by one worker process and then by
 * two (compiled worker, QC_IMPORT_CONCURRENCY=1 each, on BullMQ), each time into a fresh database.
 * The figure is rows per second from the batch's creation to its last range staged (the pre-scan
 * that cuts the file included; the merge that follows is not), two workers against one in the same run.
 */
export const STAGE_WORKER_BENCHMARKS: BenchmarkGroup = {
  names: ['s1-stage-workers'],
  async run(_selected, context) {
    const fixture = await stageFixture(context);
    const rangeBytes = Math.max(1024, Math.ceil(fixture.bytes / RANGES));
    log(`stage-workers: ${fixture.rows.toLocaleString('en-US')} rows, ${(fixture.bytes / 1e6).toFixed(1)} MB in ranges of ${rangeBytes.toLocaleString('en-US')} bytes`);
    const one = await stageWith(fixture, 1, rangeBytes, context);
    log(`stage-workers: 1 worker: ${one.error ?? `${one.seconds!.toFixed(2)} s, ${one.ranges} ranges`}`);
    const two = await stageWith(fixture, 2, rangeBytes, context);
    log(`stage-workers: 2 workers: ${two.error ?? `${two.seconds!.toFixed(2)} s, ${two.ranges} ranges`}`);
    const rate = (run: StageRun) => (run.seconds ? run.rows / run.seconds : null);
    const ratio = ratioOf(rate(two), rate(one));
    const result: Figure = figure(context, {
      name: 's1-stage-workers',
      value: rate(two),
      unit: 'rows/s',
      baseline: { name: `the same file in the same ${RANGES} ranges staged by 1 worker process`, value: rate(one) },
      ratio,
      rows: one.rows || fixture.rows,
      peakRssMb: null,
      goal: `2 worker processes stage one file at least ${GOAL_RATIO}× the rows per second of 1`,
      goalMet: ratio === null ? null : ratio >= GOAL_RATIO,
      error: one.error ?? two.error,
    });
    return [result];
  },
};

function stageFixture({ fixturesRoot, options: { rows, seed } }: BenchContext): Promise<Fixture> {
  const members = positiveEnv('BENCH_STAGE_ROWS', rows);
  return cachedFixture(fixturesRoot, { kind: 'S1', size: members, seed }, (out) => {
    log(`stage-workers: generating a city of ${members.toLocaleString('en-US')} members into ${out}`);
    return generateCity({ out, seed, members, only: ['S1'], s1Encoding: 'gb18030' });
  });
}

interface StageRun { seconds: number | null; rows: number; ranges: number; error: string | null }

/** Starts `workers` worker processes on a fresh database, imports the file through the CLI (which only waits), and times its stage. */
async function stageWith(fixture: Fixture, workers: number, rangeBytes: number, context: BenchContext): Promise<StageRun> {
  ensureCompiled();
  const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
  const env = { ...database.env, QC_IMPORT_CONCURRENCY: '1', QC_STAGE_RANGE_BYTES: String(rangeBytes) };
  const started: ChildProcess[] = [];
  try {
    for (let i = 0; i < workers; i++) started.push(await startChild([...workerNodeFlags(), COMPILED_WORKER], env, 'worker consuming import jobs'));
    const run = await importWithCli(fixture.file, env, 'completed');
    if (run.error) return { seconds: null, rows: 0, ranges: 0, error: run.error };
    const [stage] = await runSql(database.url, `SELECT extract(epoch FROM max(r.finished_at) - b.created_at)::float8 AS seconds, count(r.no)::int AS ranges, b.rows_read AS rows
        FROM import_batch b LEFT JOIN stage_range r ON r.batch_id = b.id GROUP BY b.id`);
    if (Number(stage.ranges) < 2) return { seconds: null, rows: Number(stage.rows), ranges: Number(stage.ranges), error: `the file was staged whole, not in ranges (${stage.ranges})` };
    return { seconds: Number(stage.seconds), rows: Number(stage.rows), ranges: Number(stage.ranges), error: null };
  } finally {
    for (const child of started) child.kill('SIGTERM');
    await database.drop();
  }
}

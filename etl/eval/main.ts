/**
 * npm run eval -- [--samples DIR] [--drift] [--members N] [--communities N] [--seed S] [--out FILE] [--keep]
 *
 * Imports a city with ground truth through the real pipeline, into a database of its own, and measures
 * how well the registry's entities match the truth. Exit 0 whatever the numbers; 2 when the pipeline fails.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@qc/config';
import { migrate, stopEmbeddedPostgres } from '@qc/database';
import { CITY_CODE, DivisionStatsService, DivisionsService } from '@qc/divisions';
import { accountingAddsUp, ImportRequestError, ImportsService } from '@qc/ingestion';
import { JobQueue } from '@qc/jobs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { describeSummary } from '../../apps/cli/src/import-summary';
import { generateCity } from '../generate';
import { compareStats } from './division-stats';
import { companyCounts, companyRows, driftReport, DriftReport, formatDriftReport, ignoredColumns, placeCounts, placeRows, usedColumns } from './drift-measures';
import { createEvalDatabase, EvalDatabase, EvalQueue, isolateQueue } from './eval-environment';
import { EvalModule } from './eval.module';
import { measure } from './measure';
import { EvalResults, FileResult, formatReport } from './report';
import { openReviewTasks, stagedRecords } from './staged-records';
import {
  Manifest, readBuildingPlaces, readCentralHouseholdBuildings, readColumnsTruth, readHardNegatives, readManifest, readOrgCompanies, readTruthRecords, readTruthStats, truthFolder,
} from './truth';

process.env.LOG_LEVEL ??= 'warn';

/** Sources that others refer to come first: communities (S6), then members, ledgers, property, grids, the old app. */
const IMPORT_ORDER = ['S6', 'S1', 'S3', 'S4', 'S2', 'S5'];
const DEFAULT_MEMBERS = 20_000;
const PIPELINE_FAILED_EXIT = 2;
const INTERRUPTED_EXIT = 130;

class UsageError extends Error {}

/** Set on SIGINT/SIGTERM: the run's own failures after that are consequences, not news. */
let interrupted = false;

interface EvalOptions { samples?: string; drift: boolean; members: number; communities?: number; seed?: string; out: string; keep: boolean }

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number, not "${value}"`);
  return n;
}

function parseOptions(argv: string[], dataDir: string): EvalOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        samples: { type: 'string' }, members: { type: 'string' }, communities: { type: 'string' },
        seed: { type: 'string' }, out: { type: 'string' }, keep: { type: 'boolean', default: false },
        drift: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.samples && (values.members || values.communities || values.seed || values.drift)) {
    throw new UsageError('--samples imports a given city: --drift, --members, --communities and --seed only shape a generated one');
  }
  if (values.samples) {
    try {
      truthFolder(values.samples);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  return {
    samples: values.samples,
    drift: values.drift ?? false,
    members: positiveInteger('--members', values.members) ?? DEFAULT_MEMBERS,
    communities: positiveInteger('--communities', values.communities),
    seed: values.seed,
    out: resolve(values.out ?? join(dataDir, 'eval', 'results.json')),
    keep: values.keep ?? false,
  };
}

function inImportOrder(files: Manifest['files']): Manifest['files'] {
  const rank = (kind: string) => (IMPORT_ORDER.includes(kind) ? IMPORT_ORDER.indexOf(kind) : IMPORT_ORDER.length);
  return [...files].sort((a, b) => rank(a.kind) - rank(b.kind) || a.file.localeCompare(b.file));
}

async function importFiles(app: INestApplicationContext, cityDir: string, manifest: Manifest): Promise<{ files: FileResult[]; failures: string[] }> {
  const imports = app.get(ImportsService);
  const files: FileResult[] = [];
  const failures: string[] = [];
  for (const { file, kind } of inImportOrder(manifest.files)) {
    const started = Date.now();
    const batch = await imports.submit(join(cityDir, file), 'eval');
    const summary = await imports.waitFor(batch.id);
    for (const line of describeSummary(summary)) console.log(line);
    files.push({ ...summary, kind, durationMs: Date.now() - started });
    // A refused file is a source not built yet; a failed one, or one whose rows do not add up, is a broken pipeline.
    if (summary.status === 'failed') failures.push(`${file}: ${summary.error}`);
    if (!accountingAddsUp(summary)) failures.push(`${file}: rows ${summary.rows} ≠ accepted + rejected + skipped`);
  }
  return { files, failures };
}

async function compareDivisionStats(app: INestApplicationContext, truthDir: string): Promise<EvalResults['divisionStats']> {
  const truth = await readTruthStats(truthDir);
  if (!truth) return { skipped: 'the city has no truth/stats.json' };
  const divisionStats = app.get(DivisionStatsService);
  return compareStats(truth, (code) => divisionStats.stats(code));
}

async function measureDrift(
  app: INestApplicationContext,
  truthDir: string,
  truth: Awaited<ReturnType<typeof readTruthRecords>>,
  measured: Awaited<ReturnType<typeof measure>>,
  stats: EvalResults['divisionStats'],
): Promise<DriftReport> {
  const dataSource = app.get(DataSource);
  const truthStats = await readTruthStats(truthDir);
  const columnsTruth = await readColumnsTruth(truthDir);
  const mentions = columnsTruth
    ? placeRows(truth, columnsTruth, await readBuildingPlaces(truthDir), await readCentralHouseholdBuildings(truthDir))
    : undefined;
  return driftReport({
    measured,
    places: mentions ? await placeCounts(dataSource, mentions) : {},
    stats,
    cityCode: CITY_CODE,
    companies: await companyCounts(dataSource, companyRows(truth, columnsTruth ?? {}, await readOrgCompanies(truthDir))),
    redPropertyBranches: {
      truth: typeof truthStats?.city.redPropertyBranches === 'number' ? truthStats.city.redPropertyBranches : null,
      registry: (await app.get(DivisionStatsService).stats(CITY_CODE)).redPropertyBranches ?? null,
    },
    columns: columnsTruth ? ignoredColumns(columnsTruth, await usedColumns(dataSource)) : [],
  });
}

async function run(options: EvalOptions, config: AppConfig): Promise<number> {
  const started = Date.now();
  const generated = !options.samples;
  const cityDir = options.samples ? resolve(options.samples) : await mkdtemp(join(config.dataDir, 'eval', 'city-'));
  let database: EvalDatabase | undefined;
  let queue: EvalQueue | undefined;
  let app: INestApplicationContext | undefined;
  let cleaning: Promise<void> | undefined;
  // Once only, whether the run ends or is interrupted: the pool goes first, then the database, because
  // closing the application may stop the embedded server.
  const cleanUpRun = () => (cleaning ??= cleanUp([
    ['close the connection pool', app?.get(DataSource).isInitialized && (() => app!.get(DataSource).destroy())],
    [`drop database ${database?.name}`, database && !options.keep && database.drop],
    ['close the application', app && (() => app!.close())],
    ['remove the job queue', queue && !options.keep && queue.remove],
    ['stop the embedded PostgreSQL', stopEmbeddedPostgres],
    [`remove ${cityDir}`, generated && !options.keep && (() => rm(cityDir, { recursive: true, force: true }))],
  ]));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`eval: ${signal}, cleaning up\n`);
      void cleanUpRun().then(() => process.exit(INTERRUPTED_EXIT));
    });
  }
  try {
    if (generated) {
      console.log(`generating a ${options.drift ? 'drifted ' : ''}city of ${options.members} members into ${cityDir}`);
      await generateCity({ out: cityDir, members: options.members, communities: options.communities, seed: options.seed, drift: options.drift });
    }
    const generateMs = Date.now() - started;
    const truthDir = truthFolder(cityDir);
    const manifest = await readManifest(truthDir);

    queue = isolateQueue(config);
    database = await createEvalDatabase(config);
    console.log(`database ${database.name} on ${database.server}; jobs ${queue.transport}`);
    // The registry's modules take their database from the environment, as every app of it does.
    process.env.DATABASE_URL = database.url;
    app = await NestFactory.createApplicationContext(EvalModule.register(), { logger: ['error', 'warn'] });
    const dataSource = app.get(DataSource);
    await migrate(dataSource);
    await app.get(DivisionsService).seedReference();
    // The run's queue is its own (isolateQueue), so this process is its only consumer.
    await app.get(JobQueue).consumeHere();
    const setupMs = Date.now() - started - generateMs;

    const { files, failures } = await importFiles(app, cityDir, manifest);
    const importMs = Date.now() - started - generateMs - setupMs;

    const truthRecords = await readTruthRecords(truthDir);
    const subsets: Record<string, Set<string>> = manifest.drift ? { 'central household': new Set((await readCentralHouseholdBuildings(truthDir)).keys()) } : {};
    const measured = await measure(truthRecords, stagedRecords(dataSource), await readHardNegatives(truthDir), subsets);
    const reviewTasks = await openReviewTasks(dataSource);
    const statsComparison = await compareDivisionStats(app, truthDir);
    const drift = manifest.drift ? await measureDrift(app, truthDir, truthRecords, measured, statsComparison) : undefined;
    const measureMs = Date.now() - started - generateMs - setupMs - importMs;

    const results: EvalResults = {
      finishedAt: new Date().toISOString(),
      city: {
        source: generated ? 'generated' : 'samples', dir: cityDir, kept: !generated || options.keep,
        seed: String(manifest.seed), communities: manifest.communities, members: manifest.members ?? null,
      },
      database: { server: database.server, name: database.name, kept: options.keep },
      jobs: queue.transport,
      types: measured.types,
      validRejected: measured.validRejected,
      invalidAccepted: measured.invalidAccepted,
      reviewTasks,
      hardNegativesChecked: measured.hardNegativesChecked,
      hardNegativeViolations: measured.hardNegativeViolations.length,
      hardNegativeViolationExamples: measured.hardNegativeViolations.slice(0, 20),
      divisionStats: statsComparison,
      ...(drift ? { drift } : {}),
      files: files.map((f) => ({ ...f, ...measured.files[f.file] })),
      pipelineFailures: failures,
      durations: { generateMs, setupMs, importMs, measureMs, totalMs: Date.now() - started },
    };
    for (const line of formatReport(results)) console.log(line);
    if (drift) for (const line of formatDriftReport(drift)) console.log(line);
    await mkdir(dirname(options.out), { recursive: true });
    await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`results: ${options.out}`);
    return failures.length > 0 ? PIPELINE_FAILED_EXIT : 0;
  } finally {
    await cleanUpRun();
  }
}

/** Runs every clean-up step even when one fails, so a failed run still leaves nothing behind. */
async function cleanUp(steps: [what: string, step: false | undefined | null | (() => Promise<unknown>)][]): Promise<void> {
  for (const [what, step] of steps) {
    if (!step) continue;
    await step().catch((err: Error) => process.stderr.write(`eval: could not ${what}: ${err.message}\n`));
  }
}

async function main(): Promise<number> {
  const config = loadConfig();
  const options = parseOptions(process.argv.slice(2), config.dataDir);
  await mkdir(join(config.dataDir, 'eval'), { recursive: true });
  return run(options, config);
}

main()
  .catch((err: Error) => {
    if (interrupted) return INTERRUPTED_EXIT;
    const known = err instanceof UsageError || err instanceof ImportRequestError;
    process.stderr.write(`eval: ${known ? err.message : err.stack ?? err.message}\n`);
    if (err instanceof UsageError) {
      process.stderr.write('usage: npm run eval -- [--samples DIR] [--drift] [--members N] [--communities N] [--seed S] [--out FILE] [--keep]\n');
    }
    return PIPELINE_FAILED_EXIT;
  })
  // Exit explicitly: a client library left with an idle handle must not keep the measurement hanging.
  .then((code) => process.exit(code));

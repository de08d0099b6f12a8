import { spawn } from 'node:child_process';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parse as csvParse } from 'csv-parse';
import * as iconv from 'iconv-lite';
import { generateCity } from '../etl/generate';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf, WORKER_RSS_LIMIT_MB } from './benchmark';
import { BenchDatabase, createBenchDatabase, runSql } from './support/bench-database';
import { importWithCli, ImportRun } from './support/cli-import';
import { cachedFixture, Fixture } from './support/fixtures';
import { Figure } from './support/results-file';
import { timed } from './support/timer';

const COPY_BASELINE = 'psql \\copy (CSV, GB18030) into text columns';
const COPY_TABLE = 'bench_copy_baseline';

/** A large municipal party-member export (S1, GB18030 CSV): the full import against PostgreSQL's COPY, then the same file again. */
export const S1_BENCHMARKS: BenchmarkGroup = {
  names: ['s1-import', 's1-reimport', 's1-parse-floor', 's1-write-floor'],
  async run(selected, context) {
    const wants = (...names: string[]) => names.some((name) => selected.includes(name));
    const fixture = await s1Fixture(context);
    log(`s1: ${fixture.rows.toLocaleString('en-US')} rows, ${(fixture.bytes / 1e6).toFixed(1)} MB: ${fixture.file}`);
    const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
    try {
      const copy = wants('s1-import', 's1-parse-floor', 's1-write-floor') ? await copyWithPsql(database, fixture) : null;
      if (copy) log(`s1: COPY: ${copy.error ?? `${copy.seconds!.toFixed(2)} s`}`);
      const figures: Figure[] = [];
      if (copy && wants('s1-parse-floor')) figures.push(await parseFloorFigure(context, fixture, copy));
      if (!wants('s1-import', 's1-reimport', 's1-write-floor')) return figures;
      const first = await importLogged('import', fixture, database, 'completed');
      if (copy && wants('s1-import')) figures.push(importFigure(context, fixture, copy, first));
      if (wants('s1-reimport')) figures.push(await reimportFigure(context, fixture, database, first));
      if (copy && wants('s1-write-floor')) figures.push(await writeFloorFigure(context, database, copy, first));
      return figures;
    } finally {
      await database.drop();
    }
  },
};

export function s1Fixture({ fixturesRoot, options: { rows, seed } }: BenchContext): Promise<Fixture> {
  return cachedFixture(fixturesRoot, { kind: 'S1', size: rows, seed }, (out) => {
    log(`s1: generating a city of ${rows.toLocaleString('en-US')} members into ${out}`);
    return generateCity({ out, seed, members: rows, only: ['S1'], s1Encoding: 'gb18030' });
  });
}

async function importLogged(label: string, fixture: Fixture, database: BenchDatabase, expected: 'completed' | 'unchanged'): Promise<ImportRun> {
  const run = await importWithCli(fixture.file, database.env, expected);
  log(`s1: ${label}: ${run.error ?? run.summary!.status}, ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB`);
  return run;
}

function importFigure(context: BenchContext, fixture: Fixture, copy: CopyRun, first: ImportRun): Figure {
  const value = first.error ? null : first.seconds;
  const ratio = ratioOf(value, copy.seconds);
  return figure(context, {
    name: 's1-import',
    value,
    unit: 's',
    baseline: { name: COPY_BASELINE, value: copy.seconds },
    ratio,
    rows: value === null ? fixture.rows : first.summary!.rows,
    peakRssMb: value === null ? null : first.peakRssMb,
    goal: `ratio = import time ÷ COPY time ≤ 3, and the importing process (the CLI consuming its own jobs, as a worker would) peaks below ${WORKER_RSS_LIMIT_MB} MB RSS`,
    goalMet: ratio === null || first.peakRssMb === null ? null : ratio <= 3 && first.peakRssMb < WORKER_RSS_LIMIT_MB,
    error: first.error ?? (copy.error ? `baseline: ${copy.error}` : null),
  });
}

async function reimportFigure(context: BenchContext, fixture: Fixture, database: BenchDatabase, first: ImportRun): Promise<Figure> {
  const again = first.error ? null : await importLogged('re-import', fixture, database, 'unchanged');
  const value = again && !again.error ? again.seconds : null;
  const ratio = ratioOf(value, first.error ? null : first.seconds);
  return figure(context, {
    name: 's1-reimport',
    value,
    unit: 's',
    baseline: { name: 'first import of the same file', value: first.error ? null : first.seconds },
    ratio,
    rows: value === null ? fixture.rows : again!.summary!.rows,
    peakRssMb: value === null ? null : again!.peakRssMb,
    goal: 'ratio = re-import time ÷ first import time < 0.05 (the same file is recognised by its checksum and changes nothing)',
    goalMet: ratio === null ? null : ratio < 0.05,
    error: first.error ? `the first import (the baseline) failed: ${first.error}` : again!.error,
  });
}

/**
 * csv-parse (the project's CSV parser, with the reader's options) walking the GB18030 file with
 * no work at all: the least any import built on it can take, beside the same COPY.
 */
async function parseFloorFigure(context: BenchContext, fixture: Fixture, copy: CopyRun): Promise<Figure> {
  let records = 0;
  const { seconds } = await timed(async () => {
    const parser = csvParse({ delimiter: ',', record_delimiter: ['\r\n', '\n', '\r'], relax_quotes: true, relax_column_count: true, skip_empty_lines: false });
    const counting = pipeline(createReadStream(fixture.file), iconv.decodeStream('gb18030'), parser);
    for await (const _record of parser) records++;
    await counting;
  });
  log(`s1: csv-parse alone: ${seconds.toFixed(2)} s for ${records.toLocaleString('en-US')} records`);
  return figure(context, {
    name: 's1-parse-floor', value: seconds, unit: 's', baseline: { name: COPY_BASELINE, value: copy.seconds }, ratio: ratioOf(seconds, copy.seconds),
    rows: records - 1, peakRssMb: null,
    goal: 'for reference, no goal: decoding and parsing the file with csv-parse and doing nothing else, against COPY; an import that parses with it takes at least this ratio',
    goalMet: null, error: copy.error ? `baseline: ${copy.error}` : null,
  });
}

/** The tables an S1 import fills, by the million. */
const FILLED_TABLES = ['source_record', 'person', 'membership', 'record_link', 'record_reference', 'change_log'];

/**
 * PostgreSQL copying, within itself and set-based, the rows the import left in the tables it fills
 * into tables with the same columns and indexes (not the foreign keys): the least any import that
 * keeps these rows (lineage, links, the change feed) can take, beside the same COPY of the file.
 */
async function writeFloorFigure(context: BenchContext, database: BenchDatabase, copy: CopyRun, first: ImportRun): Promise<Figure> {
  const common = { name: 's1-write-floor', unit: 's', rows: first.summary?.rows ?? 0, peakRssMb: null, goalMet: null,
    goal: 'for reference, no goal: PostgreSQL writing the import\'s source records, persons, memberships, links and change feed again, set-based inside the database with the same indexes, against COPY; an import that keeps these rows takes at least this ratio' };
  if (first.error) return figure(context, { ...common, value: null, baseline: { name: COPY_BASELINE, value: copy.seconds }, ratio: null, error: `the import failed: ${first.error}` });
  try {
    const { seconds } = await timed(async () => {
      for (const table of FILLED_TABLES) {
        await runSql(database.url, `CREATE TABLE bench_floor_${table} (LIKE ${table} INCLUDING ALL)`);
        await runSql(database.url, `INSERT INTO bench_floor_${table} SELECT * FROM ${table}`);
      }
    });
    log(`s1: the filled tables written again inside PostgreSQL: ${seconds.toFixed(2)} s`);
    return figure(context, { ...common, value: seconds, baseline: { name: COPY_BASELINE, value: copy.seconds }, ratio: ratioOf(seconds, copy.seconds), error: copy.error ? `baseline: ${copy.error}` : null });
  } finally {
    for (const table of FILLED_TABLES) await runSql(database.url, `DROP TABLE IF EXISTS bench_floor_${table}`);
  }
}

interface CopyRun {
  seconds: number | null;
  error: string | null;
}

/** The floor for any import: PostgreSQL's own COPY of the same file into a table of text columns, streamed by psql. */
async function copyWithPsql(database: BenchDatabase, fixture: Fixture): Promise<CopyRun> {
  const columns = Array.from({ length: headerColumnCount(fixture.file) }, (_, i) => `c${i + 1} text`);
  await runSql(database.url, `CREATE TABLE ${COPY_TABLE} (${columns.join(', ')})`);
  try {
    const command = `\\copy ${COPY_TABLE} FROM '${fixture.file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true, ENCODING 'GB18030')`;
    const { seconds, value: psql } = await timed(() => runPsql(database.url, command));
    if (psql.exitCode !== 0) return { seconds: null, error: `psql exit code ${psql.exitCode}: ${psql.output.trim()}` };
    const copied = Number(/COPY (\d+)/.exec(psql.output)?.[1]);
    if (copied !== fixture.rows) return { seconds: null, error: `COPY loaded ${copied} rows, the file has ${fixture.rows}` };
    return { seconds, error: null };
  } finally {
    // The baseline's table is not left in the database the import is measured in.
    await runSql(database.url, `DROP TABLE ${COPY_TABLE}`);
  }
}

function runPsql(url: string, command: string): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const psql = spawn('psql', ['--no-psqlrc', '--set', 'ON_ERROR_STOP=1', '--dbname', url, '--command', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    psql.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    psql.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    psql.on('error', reject);
    psql.on('close', (exitCode) => resolve({ exitCode, output }));
  });
}

/** Columns of the CSV's header line (S1 headers are plain words, never quoted). */
function headerColumnCount(file: string): number {
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'r');
  try {
    const length = readSync(fd, head, 0, head.length, 0);
    const firstLine = iconv.decode(head.subarray(0, length), 'gb18030').split(/\r?\n/)[0];
    return firstLine.split(',').length;
  } finally {
    closeSync(fd);
  }
}

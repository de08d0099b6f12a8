import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf } from './benchmark';
import { BenchDatabase, createBenchDatabase, runSql } from './support/bench-database';
import { workerNodeFlags } from './support/compiled-cli';
import { ChildRun, runMeasuredNode } from './support/measured-child';
import { Figure } from './support/results-file';

const CHILD = join(__dirname, 'report-child.ts');
const ROSTER_RSS_LIMIT_MB = 300;
const EXCELJS_BASELINE = 'exceljs WorkbookWriter (no shared strings, no styles, row.commit() per row), same rows, no query';
const STATS_BASELINE = 'DivisionStatsService.stats(city): one SQL statement';

/**
 * A city of `rows` members made with generate_series (fast, and the same every run): one
 * committee per reference community, members spread over them, personal data stored masked.
 */
const POPULATE_SQL = (rows: number) => `
INSERT INTO party_organization (type, short_name, formal_name, name_key, division_code, tags)
  SELECT 'committee', name || '党委', '中共' || name || '委员会', 'bench:' || code, code, '{community}' FROM division WHERE level = 'community';
INSERT INTO person (name, name_key, name_pinyin, gender, birth_date, birth_precision, ethnicity_code, id_number_masked, phone_masked)
  SELECT '成员' || g, 'cy' || g, 'chengyuan' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, date '1950-01-01' + (g % 18000), 'day',
    CASE WHEN g % 7 = 0 THEN '02' ELSE '01' END, '150105************', '138****' || lpad((g % 10000)::text, 4, '0')
  FROM generate_series(1, ${rows}) g;
WITH o AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM party_organization WHERE name_key LIKE 'bench:%'),
     p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM person)
INSERT INTO membership (person_id, organization_id, category, status, joined_on, joined_precision)
  SELECT p.id, o.id, CASE WHEN p.k % 10 = 0 THEN 'probationary' ELSE 'full' END, 'current', date '1980-01-01' + (p.k % 15000)::int, 'day'
  FROM p JOIN o ON o.k = p.k % o.n;
ANALYZE;`;

interface ChildResult { rows: number; seconds: number; statsSeconds?: number }

/** The roster of a whole city streamed to a workbook against exceljs writing the same rows, and the city's structure report. */
export const REPORT_BENCHMARKS: BenchmarkGroup = {
  names: ['report'],
  async run(_selected, context) {
    const rows = Number(process.env.BENCH_REPORT_ROWS || context.options.rows);
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`BENCH_REPORT_ROWS must be a positive whole number, not ${process.env.BENCH_REPORT_ROWS}`);
    const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
    const dir = mkdtempSync(join(tmpdir(), 'qc-bench-report-'));
    try {
      log(`report: making a city of ${rows.toLocaleString('en-US')} members with generate_series`);
      await runSql(database.url, POPULATE_SQL(rows));
      // Reports are written by the worker (on schedule) and the CLI: measured under the worker's heap cap. exceljs runs
      // uncapped: its memory grows with the rows, and under the cap it could not write them at all.
      const project = await measured('project-roster', [join(dir, 'roster.xlsx')], database, workerNodeFlags());
      const exceljs = await measured('exceljs-roster', [join(dir, 'exceljs.xlsx'), String(rows)], database, []);
      const structure = await measured('structure', [join(dir, 'structure.xlsx')], database, workerNodeFlags());
      return [rosterFigure(context, rows, project, exceljs), structureFigure(context, rows, structure)];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
  },
};

type Measured = { run: ChildRun; result: ChildResult | null; error: string | null };

async function measured(mode: string, args: string[], database: BenchDatabase, nodeFlags: string[]): Promise<Measured> {
  const run = await runMeasuredNode(CHILD, [mode, ...args], { ...database.env, LOG_LEVEL: 'warn' }, nodeFlags);
  if (run.exitCode !== 0) {
    const error = `${mode} exited with ${run.exitCode ?? run.signal}: ${run.stderr.trim().split('\n').slice(-3).join(' ')}`;
    log(`report: ${error}`);
    return { run, result: null, error };
  }
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildResult;
  const size = statSync(args[0]).size;
  log(`report: ${mode}: ${result.rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(2)} s (${Math.round(result.rows / result.seconds)} rows/s), `
    + `${(size / 1e6).toFixed(1)} MB, peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB${nodeFlags.length ? ` (${nodeFlags.join(' ')})` : ''}`);
  return { run, result, error: null };
}

const rate = (m: Measured) => (m.result ? m.result.rows / m.result.seconds : null);

function rosterFigure(context: BenchContext, rows: number, project: Measured, exceljs: Measured): Figure {
  const value = rate(project);
  const ratio = ratioOf(value, rate(exceljs));
  const peak = project.error ? null : project.run.peakRssMb;
  return figure(context, {
    name: 'report-roster',
    value,
    unit: 'rows/s',
    baseline: { name: `${EXCELJS_BASELINE}; its peak RSS ${exceljs.run.peakRssMb?.toFixed(0) ?? '?'} MB`, value: rate(exceljs) },
    ratio,
    rows: project.result?.rows ?? rows,
    peakRssMb: peak,
    goal: `ratio = roster rows/s (server-side cursor → masked rows → streamed workbook) ÷ exceljs rows/s ≥ 0.5, and the reporting process, `
      + `under the worker's node flags (${workerNodeFlags().join(' ') || 'none'}), peaks below ${ROSTER_RSS_LIMIT_MB} MB RSS; each in a child process`,
    goalMet: ratio === null || peak === null ? null : ratio >= 0.5 && peak < ROSTER_RSS_LIMIT_MB,
    error: project.error ?? exceljs.error,
  });
}

function structureFigure(context: BenchContext, rows: number, structure: Measured): Figure {
  const value = structure.result?.seconds ?? null;
  const ratio = ratioOf(value, structure.result?.statsSeconds ?? null);
  return figure(context, {
    name: 'report-structure',
    value,
    unit: 's',
    baseline: { name: STATS_BASELINE, value: structure.result?.statsSeconds ?? null },
    ratio,
    rows,
    peakRssMb: structure.error ? null : structure.run.peakRssMb,
    goal: 'ratio = structure report of the city (every community, subtotals, workbook) ÷ the city\'s stats ≤ 3: the per-community rows cost about one stats query',
    goalMet: ratio === null ? null : ratio <= 3,
    error: structure.error,
  });
}

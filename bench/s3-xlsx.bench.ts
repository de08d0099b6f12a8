import * as ExcelJS from 'exceljs';
import { classifyRow, detectLayout, HEADER_SCAN_ROWS, Layout } from '@qc/layout';
import { JsonReader, openSource, RawRow } from '@qc/readers';
import { generateCity } from '../etl/generate';
import { BenchContext, BenchmarkGroup, figure, log, ratioOf, WORKER_RSS_LIMIT_MB } from './benchmark';
import { createBenchDatabase } from './support/bench-database';
import { importWithCli } from './support/cli-import';
import { cachedFixture, Fixture } from './support/fixtures';
import { Figure } from './support/results-file';
import { PeakSampler } from './support/rss-sampler';
import { bestOfAlternating } from './support/timer';

const EXCELJS_BASELINE = 'exceljs WorkbookReader walking every row';

interface Walk {
  rows: number;
  peakRssMb: number | null;
}

interface ReadRates {
  rows: number;
  exceljsRowsPerSecond: number;
  /** Only when s3-xlsx-read is measured. */
  project?: { rowsPerSecond: number; peakRssMb: number | null };
}

/** A very large community ledger (S3 roster workbook): the project's reading against exceljs alone, and the full import. */
export const S3_BENCHMARKS: BenchmarkGroup = {
  names: ['s3-xlsx-read', 's3-xlsx-import'],
  async run(selected, context) {
    const fixture = await s3Fixture(context);
    log(`s3: ${fixture.rows.toLocaleString('en-US')} rows, ${(fixture.bytes / 1e6).toFixed(1)} MB: ${fixture.file}`);
    let rates: ReadRates | null = null;
    let readError: string | null = null;
    try {
      rates = await compareReaders(fixture.file, context.options.repeat, selected.includes('s3-xlsx-read'));
      log(`s3: exceljs ${rates.exceljsRowsPerSecond.toFixed(0)} rows/s${rates.project ? `, project ${rates.project.rowsPerSecond.toFixed(0)} rows/s` : ''}`);
    } catch (err) {
      readError = (err as Error).message;
      log(`s3: reading failed: ${readError}`);
    }
    const figures: Figure[] = [];
    if (selected.includes('s3-xlsx-read')) figures.push(readFigure(context, fixture, rates, readError));
    if (selected.includes('s3-xlsx-import')) figures.push(await importFigure(context, fixture, rates, readError));
    return figures;
  },
};

function s3Fixture({ fixturesRoot, options: { s3Rows, seed } }: BenchContext): Promise<Fixture> {
  return cachedFixture(fixturesRoot, { kind: 'S3', size: s3Rows, seed }, (out) => {
    log(`s3: generating ledgers with one of ${s3Rows.toLocaleString('en-US')} rows into ${out}`);
    return generateCity({ out, seed, only: ['S3'], s3Rows });
  });
}

/** Both readers over the same file in the same process, alternating, each keeping its best of `repeat` rounds. */
async function compareReaders(file: string, repeat: number, withProject: boolean): Promise<ReadRates> {
  const walkers = withProject ? [walkWithExceljs, readAndClassify] : [walkWithExceljs];
  const [exceljs, project] = await bestOfAlternating(repeat, walkers.map((walk) => () => withPeakRss(() => walk(file))));
  if (project && project.value.rows !== exceljs.value.rows) {
    throw new Error(`the readers disagree: exceljs walked ${exceljs.value.rows} rows, the project's reader ${project.value.rows}`);
  }
  return {
    rows: exceljs.value.rows,
    exceljsRowsPerSecond: exceljs.value.rows / exceljs.seconds,
    project: project && { rowsPerSecond: project.value.rows / project.seconds, peakRssMb: project.value.peakRssMb },
  };
}

/** The walk's row count, and the highest RSS of this whole process while it ran. */
async function withPeakRss(walk: () => Promise<number>): Promise<Walk> {
  const sampler = new PeakSampler(() => process.memoryUsage.rss() / 1024 ** 2).start();
  let rows: number;
  try {
    rows = await walk();
  } catch (err) {
    sampler.stop();
    throw err;
  }
  return { rows, peakRssMb: sampler.stop() };
}

/** The baseline: exceljs's streaming reader, with the options the project's reader uses, touching every row and nothing else. */
async function walkWithExceljs(file: string): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  let rows = 0;
  for await (const worksheet of workbook) {
    for await (const _row of worksheet) rows++;
  }
  return rows;
}

/** What staging does before parsing fields: the project's reader, then header detection per sheet and a kind for every row. */
async function readAndClassify(file: string): Promise<number> {
  const source = await openSource(file);
  if (source instanceof JsonReader) throw new Error(`${file} was read as JSON, not as a workbook`);
  let rows = 0;
  let sheet: string | null | undefined;
  let window: RawRow[] = [];
  let layout: Layout | null = null;
  for await (const row of source.rows()) {
    rows++;
    if (row.sheet !== sheet) {
      if (window.length > 0) detectAndClassify(window);
      sheet = row.sheet;
      window = [];
      layout = null;
    }
    if (layout) classifyRow(row.cells, layout);
    else {
      window.push(row);
      if (window.length >= HEADER_SCAN_ROWS) {
        layout = detectAndClassify(window);
        window = [];
      }
    }
  }
  if (window.length > 0) detectAndClassify(window);
  return rows;
}

/** A sheet's layout from its first rows, and those rows after the header classified. */
function detectAndClassify(firstRows: RawRow[]): Layout {
  const layout = detectLayout(firstRows[0].sheet, firstRows);
  for (const row of firstRows) if (row.line >= layout.dataStartLine) classifyRow(row.cells, layout);
  return layout;
}

function readFigure(context: BenchContext, fixture: Fixture, rates: ReadRates | null, readError: string | null): Figure {
  const value = rates?.project?.rowsPerSecond ?? null;
  const ratio = ratioOf(value, rates?.exceljsRowsPerSecond ?? null);
  return figure(context, {
    name: 's3-xlsx-read',
    value,
    unit: 'rows/s',
    baseline: { name: EXCELJS_BASELINE, value: rates?.exceljsRowsPerSecond ?? null },
    ratio,
    rows: rates?.rows ?? fixture.rows,
    peakRssMb: rates?.project?.peakRssMb ?? null,
    goal: `ratio = project rows/s (openSource + detectLayout + classifyRow) ÷ exceljs rows/s ≥ 0.7; in-process, alternating, best of ${context.options.repeat}; peak RSS is the whole bench process's`,
    goalMet: ratio === null ? null : ratio >= 0.7,
    error: readError,
  });
}

async function importFigure(context: BenchContext, fixture: Fixture, rates: ReadRates | null, readError: string | null): Promise<Figure> {
  const database = await createBenchDatabase(context.adminUrl, context.redisUrl);
  try {
    const run = await importWithCli(fixture.file, database.env, 'completed');
    log(`s3: import: ${run.error ?? 'completed'}, ${run.seconds.toFixed(2)} s, peak RSS ${run.peakRssMb?.toFixed(0) ?? '?'} MB`);
    const value = run.summary && !run.error ? run.summary.rows / run.seconds : null;
    return figure(context, {
      name: 's3-xlsx-import',
      value,
      unit: 'rows/s',
      baseline: { name: EXCELJS_BASELINE, value: rates?.exceljsRowsPerSecond ?? null },
      ratio: ratioOf(value, rates?.exceljsRowsPerSecond ?? null),
      rows: value === null ? fixture.rows : run.summary!.rows,
      peakRssMb: value === null ? null : run.peakRssMb,
      goal: `the importing process peaks below ${WORKER_RSS_LIMIT_MB} MB RSS; no speed goal (ratio = import rows/s ÷ exceljs read rows/s, for scale)`,
      goalMet: run.error || run.peakRssMb === null ? null : run.peakRssMb < WORKER_RSS_LIMIT_MB,
      error: run.error ?? (readError ? `baseline: ${readError}` : null),
    });
  } finally {
    await database.drop();
  }
}

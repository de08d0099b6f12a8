import { writeCsv } from '@qc/export';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ReportRow, ReportTable } from './report-definition';
import { writeXlsx } from './xlsx-writer';

export const REPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** The format a file name's extension asks for, or null. */
export function formatOfFileName(name: string): ReportFormat | null {
  const extension = /\.([a-z]+)$/i.exec(name)?.[1]?.toLowerCase();
  return (REPORT_FORMATS as readonly string[]).includes(extension ?? '') ? (extension as ReportFormat) : null;
}

async function* cellsOf(rows: AsyncIterable<ReportRow>, count: () => void): AsyncGenerator<readonly unknown[]> {
  for await (const row of rows) {
    if (row.kind === 'data') count();
    yield row.cells;
  }
}

/** The heading, then one row per line: what the web page shows. */
async function* jsonChunks(table: ReportTable, count: () => void): AsyncGenerator<string> {
  yield `{"title":${JSON.stringify(table.title)},"subtitle":${JSON.stringify(table.subtitle)},"sources":${JSON.stringify(table.sources)},"columns":${JSON.stringify(table.columns)},"rows":[`;
  let first = true;
  for await (const row of table.rows) {
    if (row.kind === 'data') count();
    yield `${first ? '' : ','}\n${JSON.stringify(row)}`;
    first = false;
  }
  yield '\n]}\n';
}

/**
 * Streams the report to `out` (and ends it) as a workbook, CSV (with a BOM, for Excel; formula
 * injection neutralised by @qc/export) or JSON. Resolves with the number of data rows.
 */
export async function writeReport(table: ReportTable, format: ReportFormat, out: Writable): Promise<number> {
  switch (format) {
    case 'xlsx':
      return writeXlsx(table, out);
    case 'csv': {
      // Subtotal rows stay in: their label cells say what they are.
      let rows = 0;
      await writeCsv(cellsOf(table.rows, () => rows++), out, { header: table.columns.map((c) => c.header), bom: true });
      return rows;
    }
    case 'json': {
      let rows = 0;
      await pipeline(Readable.from(jsonChunks(table, () => rows++)), out);
      return rows;
    }
  }
}

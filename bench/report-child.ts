/**
 * One measured run for the report benchmarks, in a child process of its own so that its peak RSS
 * is its own: `project-roster FILE` (the roster report of the whole city, streamed from the
 * database to a workbook), `exceljs-roster FILE ROWS` (exceljs's WorkbookWriter writing as many
 * rows of the same shape, with no query), `structure FILE` (the structure report of the city, and
 * DivisionStatsService.stats of the city for comparison). Prints { rows, seconds[, statsSeconds] }
 * as JSON; seconds cover the writing only, not the start-up.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { CITY_CODE, DivisionStatsService } from '@qc/divisions';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { ReportsModule, ReportsService, writeReport } from '@qc/reports';
import { timed } from './support/timer';

@Module({ imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, ReportsModule] })
class ReportBenchModule {}

const READER = { actor: 'bench', apiKeyId: null, mayReadPii: false };

async function withReports<T>(fn: (reports: ReportsService, stats: DivisionStatsService) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(ReportBenchModule, { logger: false });
  try {
    return await fn(app.get(ReportsService), app.get(DivisionStatsService));
  } finally {
    await app.close();
  }
}

/** The shape of a roster row with masked personal data, made up without a query. */
function rosterLikeRow(i: number): unknown[] {
  return [i + 1, `成员${i}`, i % 2 ? '男' : '女', '汉族', new Date(Date.UTC(1960 + (i % 40), i % 12, 1 + (i % 28))),
    `150105********${String(i % 10000).padStart(4, '0')}`, `138****${String(i % 10000).padStart(4, '0')}`, `中共兴康社区第${i % 50}党支部委员会`,
    '兴康社区', i % 10 ? '正式党员' : '预备党员', new Date(Date.UTC(1990 + (i % 30), i % 12, 1)), null];
}

async function exceljsRoster(file: string, rows: number): Promise<number> {
  // exceljs at its leanest: inline strings, no style table, every row committed at once.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('党员花名册');
  for (let i = 0; i < rows; i++) sheet.addRow(rosterLikeRow(i)).commit();
  sheet.commit();
  await workbook.commit();
  return rows;
}

async function main(): Promise<void> {
  const [mode, file, rowsArg] = process.argv.slice(2);
  let result: Record<string, number>;
  switch (mode) {
    case 'project-roster':
      result = await withReports(async (reports) => {
        const run = await timed(async () => writeReport(await reports.open('roster', { scope: null, reader: READER }), 'xlsx', createWriteStream(file)));
        return { rows: run.value, seconds: run.seconds };
      });
      break;
    case 'exceljs-roster': {
      const run = await timed(() => exceljsRoster(file, Number(rowsArg)));
      result = { rows: run.value, seconds: run.seconds };
      break;
    }
    case 'structure':
      result = await withReports(async (reports, stats) => {
        const statsRun = await timed(() => stats.stats(CITY_CODE));
        const run = await timed(async () => writeReport(await reports.open('structure', { scope: null, reader: READER }), 'xlsx', createWriteStream(file)));
        return { rows: run.value, seconds: run.seconds, statsSeconds: statsRun.seconds };
      });
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(() => process.exit(0), (err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

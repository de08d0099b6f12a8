import { TestingModule } from '@nestjs/testing';
import * as ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportsService } from '../libs/ingestion/src';
import { Logger, LOGGER } from '../libs/logging/src';
import { HEXI, XINGKANG } from './support/fixtures';
import { startRegistry } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

// The class exceljs's streaming reader builds every row with: a bug inside it is simulated here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ExcelRow = require('exceljs/lib/doc/row') as { prototype: { eachCell: (...args: unknown[]) => void } };

const S6_HEADER = ['社区代码', '社区名称', '街道', '区', '户数', '常住人口', '少数民族人口', '网格数', '楼栋数', '社区书记', '专职社区工作者数'];
const ID_IN_THE_CAUSE = '150102199003071234';

describe('a fault of our own while reading a valid workbook (real PostgreSQL)', () => {
  let dir: string;
  let logFile: string;
  let workbook: string;
  let database: TestDatabase;
  let registry: TestingModule;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-read-faults-'));
    logFile = join(dir, 'qingcheng.log');
    process.env.QC_LOG_FILE = logFile;
    process.env.QC_JOB_BACKOFF_MS = '10';
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('社区');
    for (const row of [S6_HEADER, XINGKANG.split(','), HEXI.split(',')]) sheet.addRow(row);
    workbook = join(dir, '社区基本情况.xlsx');
    writeFileSync(workbook, Buffer.from(await wb.xlsx.writeBuffer()));
    database = await createTestDatabase();
    registry = await startRegistry('in-process');
  }, 120_000);

  afterAll(async () => {
    await registry?.close();
    await database?.drop();
    delete process.env.QC_LOG_FILE;
    delete process.env.QC_JOB_BACKOFF_MS;
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('fails the batch as an internal error naming sheet and row, after its retries, logs it for us without personal data, and the file imports once the fault is gone', async () => {
    const imports = registry.get(ImportsService);
    const eachCell = ExcelRow.prototype.eachCell;
    const fault = jest.spyOn(ExcelRow.prototype, 'eachCell').mockImplementation(function (this: { number: number }, ...args: unknown[]) {
      if (this.number === 3) throw new TypeError(`Cannot create property 'x' on string '${ID_IN_THE_CAUSE}'`);
      return eachCell.apply(this, args);
    });
    let failed;
    try {
      failed = await imports.waitFor((await imports.submit(workbook, 'test')).id, undefined, 50);
    } finally {
      fault.mockRestore();
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^internal error reading 社区基本情况\.xlsx, sheet 社区 near row 3: a fault of the registry, not of the file/);
    expect(failed.error).not.toMatch(/valid XLSX|truncated/);
    // Retried as a transient fault would be: every attempt the queue allows was made.
    expect((await imports.get(failed.batchId))!.attempts).toBe(3);

    const logger = registry.get<Logger>(LOGGER);
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('internal error reading a file');
    expect(log).toMatch(/Cannot create property 'x' on string '150102\*+'.*\\n\s+at /);
    expect(log).not.toContain(ID_IN_THE_CAUSE);

    const again = await imports.waitFor((await imports.submit(workbook, 'test')).id, undefined, 50);
    expect({ status: again.status, accepted: again.accepted }).toEqual({ status: 'completed', accepted: 2 });
  }, 120_000);
});

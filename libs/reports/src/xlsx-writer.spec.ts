import * as ExcelJS from 'exceljs';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ReportRow, ReportTable } from './report-definition';
import { columnName, writeXlsx, xmlText } from './xlsx-writer';

function table(rows: ReportRow[] | AsyncIterable<ReportRow>): ReportTable {
  return {
    title: '组织体系统计表', subtitle: '范围：赛罕区　日期：2026-11-25', sheetName: '组织体系',
    columns: [
      { header: '社区', width: 20, format: 'text' }, { header: '党员', width: 10, format: 'integer' },
      { header: '少数民族占比', width: 10, format: 'percent' }, { header: '成立日期', width: 12, format: 'date' },
    ],
    sources: '数据来源：S1 市党员信息管理系统：党员信息导出.csv（2026-11-25 导入）。',
    rows: Array.isArray(rows) ? (async function* () { yield* rows; })() : rows,
  };
}

describe('columnName', () => {
  it('names columns as a spreadsheet does', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('xmlText', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xmlText('a<b>&"c"\u0001\uD800')).toBe('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(xmlText('兴康社区 😀')).toBe('兴康社区 😀');
  });
});

describe('writeXlsx', () => {
  it('writes a print-ready sheet exceljs reads back: heading, frozen header, filter, formats, shaded totals', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-xlsx-')), 'r.xlsx');
    const written = await writeXlsx(table([
      { kind: 'data', cells: ['兴康社区', 1234, 0.0512, '2019-03-01'] },
      { kind: 'data', cells: ['=HYPERLINK("x")', 0, null, '2019-03'] },
      { kind: 'subtotal', cells: ['小计', 1234, 0.05, null] },
    ]), createWriteStream(file));
    expect(written).toBe(2);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('组织体系');
    expect(sheet.getCell('A1').value).toBe('组织体系统计表');
    expect(sheet.getCell('A2').value).toBe('范围：赛罕区　日期：2026-11-25');
    expect(sheet.getRow(3).values).toEqual([undefined, '社区', '党员', '少数民族占比', '成立日期']);
    expect(sheet.getCell('B4').value).toBe(1234);
    expect(sheet.getCell('B4').numFmt).toBe('#,##0');
    expect(sheet.getCell('C4').numFmt).toBe('0.00%');
    expect(sheet.getCell('D4').value).toEqual(new Date(Date.UTC(2019, 2, 1)));
    expect(sheet.getCell('A5').value).toBe('=HYPERLINK("x")');
    expect(sheet.getCell('A5').formula).toBeUndefined();
    expect(sheet.getCell('D5').value).toBe('2019-03');
    expect(sheet.getCell('A6').font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(sheet.autoFilter).toBe('A3:D6');
    expect(sheet.getColumn(1).width).toBe(20);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect((sheet.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A1:D1', 'A2:D2']));
  });

  it('wraps text, makes each row as high as its longest text, spans notes, and ends with the sources and the sign-off block', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-xlsx-')), 'r.xlsx');
    const formal = '中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会';
    await writeXlsx(table([
      { kind: 'data', cells: ['兴康社区', 1, null, null] },
      { kind: 'data', cells: [formal, 2, null, null] },
      { kind: 'detail', cells: [`工作表 党员：${formal}`, null, null, null], span: 3 },
    ]), createWriteStream(file));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0];
    expect(sheet.getCell('A5').alignment?.wrapText).toBe(true);
    // 56 columns of text in a column 20 wide: three lines, so three times as high as one.
    expect([sheet.getRow(4).height, sheet.getRow(5).height]).toEqual([19, 49]);
    // Across A–C (50 wide), the note needs two lines.
    expect(sheet.getRow(6).height).toBe(34);
    expect(sheet.getCell('A8').value).toBe('数据来源：S1 市党员信息管理系统：党员信息导出.csv（2026-11-25 导入）。');
    expect(String(sheet.getCell('A9').value)).toMatch(/^填报单位：_+　+制表人：_+　+审核人：_+　+日期：\d{4}-\d{2}-\d{2}$/);
    expect((sheet.model as unknown as { merges: string[] }).merges).toEqual(expect.arrayContaining(['A6:C6', 'A8:D8', 'A9:D9']));
    expect(sheet.autoFilter).toBe('A3:D6');
  });

  it('pulls rows only as fast as the output takes the workbook', async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<ReportRow> {
      for (let i = 0; i < 200_000; i++) {
        produced++;
        yield { kind: 'data', cells: [`社区${i}-${Math.random()}`, i, i / 200_000, '2020-01-01'] };
      }
    }
    // An output that takes nothing until the tap opens: a producer that ignored it would make every row at once.
    const held: (() => void)[] = [];
    let open = false;
    const tap = new Writable({
      highWaterMark: 16 * 1024,
      write(_chunk, _encoding, done) {
        if (open) done();
        else held.push(done);
      },
    });
    const done = writeXlsx(table(many()), tap);
    // Wait until production stops (or everything is made): how fast it gets there depends on the machine's load, where it stops does not.
    const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
    let before = -1;
    for (let polls = 0; polls < 100 && produced !== before && produced < 200_000; polls++) {
      before = produced;
      await pause();
    }
    const producedWhileClosed = produced;
    open = true;
    held.splice(0).forEach((release) => release());
    await done;
    expect(produced).toBe(200_000);
    // Stopped by the closed output with the rows the pipeline's buffers hold, not run through all of them.
    expect(producedWhileClosed).toBeLessThan(100_000);
    // 200,000 rows through the zip: a guard against a hang, not a timing.
  }, 60_000);

  it('breaks the output off when the rows fail, instead of ending a truncated workbook', async () => {
    async function* failing(): AsyncGenerator<ReportRow> {
      yield { kind: 'data', cells: ['a', 1, 0, null] };
      throw new Error('cursor lost');
    }
    const out = new Writable({ write: (_c, _e, done) => done() });
    await expect(writeXlsx(table(failing()), out)).rejects.toThrow('cursor lost');
    expect(out.destroyed).toBe(true);
  });
});

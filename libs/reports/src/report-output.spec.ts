import { Writable } from 'node:stream';
import { formatOfFileName, writeReport } from './report-output';
import { ReportRow, ReportTable } from './report-definition';

function table(rows: ReportRow[]): ReportTable {
  return {
    title: 't', subtitle: 's', sheetName: 'x',
    columns: [{ header: '名称', width: 10, format: 'text' }, { header: '数', width: 5, format: 'integer' }],
    rows: (async function* () { yield* rows; })(), sources: '数据来源：S1 市党员信息管理系统',
  };
}

function collect(): { out: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return {
    out: new Writable({ write(chunk: Buffer, _e, done) { chunks.push(chunk); done(); } }),
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

describe('formatOfFileName', () => {
  it('reads the format from the extension, case-insensitively', () => {
    expect(formatOfFileName('a/b/roster.XLSX')).toBe('xlsx');
    expect(formatOfFileName('roster.csv')).toBe('csv');
    expect(formatOfFileName('structure.json')).toBe('json');
    expect(formatOfFileName('roster.pdf')).toBeNull();
    expect(formatOfFileName('roster')).toBeNull();
  });
});

describe('writeReport', () => {
  const rows: ReportRow[] = [{ kind: 'data', cells: ['=1+1', 3] }, { kind: 'data', cells: ['@x', -2] }, { kind: 'total', cells: ['合计', 1] }];

  it('writes CSV with a BOM, the header and every row (totals too), formulas defused, counting data rows', async () => {
    const sink = collect();
    expect(await writeReport(table(rows), 'csv', sink.out)).toBe(2);
    expect(sink.text()).toBe('\uFEFF名称,数\r\n\'=1+1,3\r\n\'@x,-2\r\n合计,1\r\n');
  });

  it('writes JSON with the heading, the columns and each row with its kind', async () => {
    const sink = collect();
    expect(await writeReport(table(rows), 'json', sink.out)).toBe(2);
    const body = JSON.parse(sink.text());
    expect(body).toMatchObject({ title: 't', subtitle: 's', columns: [{ header: '名称' }, { header: '数' }] });
    expect(body.rows).toEqual(rows);
  });
});

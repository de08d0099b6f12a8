import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import { openSource, sniffFormat } from './open-source';
import { peekRows } from './peek';
import { buildZip, collect, tempDir } from './testing/fixtures';

describe('openSource', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('picks the reader by content, not by file name', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('网格').addRow(['网格编码', '网格名称']);
    const xlsxNamedCsv = tmp.file('export.csv', Buffer.from(await wb.xlsx.writeBuffer()));
    const jsonNamedXlsx = tmp.file('data.xlsx', '\uFEFF  \n[{"orgId":"O1"}]');
    const csvNamedJson = tmp.file('list.json', iconv.encode('姓名,性别\n张三,男\n', 'gb18030'));
    expect((await openSource(xlsxNamedCsv)).kind).toBe('xlsx');
    expect((await openSource(jsonNamedXlsx)).kind).toBe('json');
    const csv = await openSource(csvNamedJson);
    expect(csv.kind).toBe('csv');
    if (csv.kind === 'csv') expect((await collect(csv.rows()))[1].cells).toEqual(['张三', '男']);
  });

  it('takes OLE2 compound files for legacy .xls and refuses OpenDocument spreadsheets by name', async () => {
    const xls = tmp.file('old.dat', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect(await sniffFormat(xls)).toBe('xls');
    const ods = tmp.file('台账.ods', buildZip([
      { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), store: true },
      { name: 'content.xml', data: Buffer.from('<office:document-content/>') },
    ]));
    await expect(sniffFormat(ods)).rejects.toThrow(/^file 台账\.ods is an OpenDocument spreadsheet: save it as \.xlsx$/);
  });

  it('refuses a web page or an XML spreadsheet exported under an .xls name, saying what it is', async () => {
    const html = tmp.file('导出.xls', '\uFEFF\r\n<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>姓名</td></tr></table></body></html>');
    const xml = tmp.file('导出2.xls', '<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook/>');
    for (const [file, name] of [[html, '导出.xls'], [xml, '导出2.xls']]) {
      await expect(sniffFormat(file)).rejects.toThrow(`file ${name} is a web page or an XML spreadsheet (what some systems export under an .xls name), not a workbook; open it in Excel and save it as .xlsx`);
    }
    const csv = tmp.file('名单.csv', '<备注>,姓名\n无,张三\n');
    expect(await sniffFormat(csv)).toBe('csv');
  });

  it('groups rows per sheet with peekRows', async () => {
    const wb = new ExcelJS.Workbook();
    const a = wb.addWorksheet('A');
    for (let i = 1; i <= 5; i++) a.addRow([i]);
    wb.addWorksheet('B').addRow(['b1']);
    const p = tmp.file('two.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const reader = await openSource(p);
    if (reader.kind !== 'xlsx') throw new Error('expected xlsx');
    const seen: [string | null, number, number][] = [];
    for await (const g of peekRows(reader.rows(), 2)) {
      let rest = 0;
      for await (const _row of g.rest) rest++;
      seen.push([g.sheet, g.head.length, rest]);
    }
    expect(seen).toEqual([
      ['A', 2, 3],
      ['B', 1, 0],
    ]);
  });

  const samples = '/work/shared/samples';
  const maybe = existsSync(samples) ? it : it.skip;
  maybe('reads every shared sample without error (skipped when the samples are absent)', async () => {
    for (const f of readdirSync(samples).filter((x) => /\.(csv|xlsx|xls|json)$/.test(x))) {
      const r = await openSource(join(samples, f));
      let n = 0;
      if (r.kind === 'json') for await (const _ of r.elements()) n++;
      else for await (const _ of r.rows()) n++;
      expect(n).toBeGreaterThan(0);
    }
    // Every sample file, a few MB in all: a guard against a hang, not a timing.
  }, 60_000);
});

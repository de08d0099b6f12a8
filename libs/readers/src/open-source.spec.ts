import * as ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { existsSync, readdirSync, statSync } from 'fs';
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

  it('counts the bytes of the file each reader has read, forward up to the file size', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名册');
    sheet.addRow(['姓名', '单位', '备注']);
    // Numbers are written in the sheet part (text would go to the shared strings, read before any row).
    for (let i = 0; i < 10_000; i++) sheet.addRow([i, (i * 7919) % 10007, (i * 2654435761) % 4294967296]);
    const files = [
      tmp.file('big.xlsx', Buffer.from(await wb.xlsx.writeBuffer())),
      tmp.file('big.csv', `姓名,单位\n${Array.from({ length: 10_000 }, (_, i) => `成员${i},单位${i}`).join('\n')}\n`),
    ];
    for (const file of files) {
      const reader = await openSource(file);
      if (reader.kind === 'json') throw new Error('not a table');
      const size = statSync(file).size;
      const seen: number[] = [];
      let rows = 0;
      for await (const _ of reader.rows()) if (++rows % 1000 === 0) seen.push(reader.bytesRead());
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen[0]).toBeGreaterThan(0);
      // It moves while rows come (in steps of what the file stream reads at a time, 64 KiB).
      expect(new Set(seen).size).toBeGreaterThanOrEqual(3);
      expect(reader.bytesRead()).toBeLessThanOrEqual(size);
      expect(reader.bytesRead()).toBeGreaterThan(size * 0.8);
    }
    const json = await openSource(tmp.file('app.json', JSON.stringify([{ orgId: 'O1' }, { orgId: 'O2' }])));
    if (json.kind !== 'json') throw new Error('not JSON');
    await collect(json.elements());
    expect(json.bytesRead()).toBe(statSync(join(tmp.dir, 'app.json')).size);
  }, 30_000);

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

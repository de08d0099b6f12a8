import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { SourceError } from './errors';
import { buildZip, collect, handWrittenWorkbook, reorderZip, tempDir } from './testing/fixtures';
import { parseWorkbookSheets, XlsxReader } from './xlsx-reader';
import { isDateFormat, normaliseCellValue } from './xlsx-values';

describe('XlsxReader', () => {
  const tmp = tempDir();
  let ledger: string;

  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员花名册');
    ws.mergeCells('A1:D1');
    ws.getCell('A1').value = '赛罕区人民路街道兴康社区党员花名册（2023年）';
    ws.getRow(2).values = ['序号', '姓名', '出生日期', '备注'];
    ws.getRow(3).values = [1, { richText: [{ text: '李' }, { text: '海军' }] }, new Date(Date.UTC(1966, 5, 11)), null];
    ws.getCell('C3').numFmt = 'yyyy-mm-dd';
    ws.getRow(5).values = [2, { text: '杜福成', hyperlink: 'https://example.org' }, { formula: 'DATE(1943,12,16)', result: 16056 }, { error: '#N/A' }];
    ws.getCell('C5').numFmt = 'yyyy"年"m"月"d"日"';
    ws.getCell('E5').value = { formula: 'A5*2', result: 4 };
    const org = wb.addWorksheet('组织架构');
    org.getRow(1).values = ['组织名称', '党员人数'];
    org.getRow(2).values = ['兴康社区党委', 340];
    ledger = tmp.file('ledger.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  });
  afterAll(() => tmp.cleanup());

  it('reads Chinese text whole where the inflated XML splits a character between two chunks', async () => {
    // Thousands of three-byte characters make the sheet and shared-strings parts span many chunks,
    // so some chunk boundary falls inside a character (exceljs decoded each chunk alone: U+FFFD).
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员花名册');
    const names = Array.from({ length: 3000 }, (_, i) => `${'正式党员预备党员'.slice(i % 4, (i % 4) + 4)}${'乌云其其格巴雅尔'.repeat(1 + (i % 3))}${i}`);
    names.forEach((name, i) => (ws.getRow(i + 1).values = [name, `第${i % 7}网格党支部`]));
    const file = tmp.file('long-chinese.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const rows = await collect(new XlsxReader(file).rows());
    expect(rows.map((r) => r.cells[0])).toEqual(names);
    expect(rows.every((r) => r.cells[1] === `第${(r.line - 1) % 7}网格党支部`)).toBe(true);
  });

  it('lists sheets in workbook order with their names', async () => {
    const sheets = await new XlsxReader(ledger).sheets();
    expect(sheets.map((s) => [s.name, s.index, s.state])).toEqual([
      ['党员花名册', 0, 'visible'],
      ['组织架构', 1, 'visible'],
    ]);
  });

  it('streams rows with SHEET!ROW refs and normalised values', async () => {
    const rows = await collect(new XlsxReader(ledger).rows());
    expect(rows.map((r) => r.ref)).toEqual(['党员花名册!1', '党员花名册!2', '党员花名册!3', '党员花名册!5', '组织架构!1', '组织架构!2']);
    const [title, header, r3, r5] = rows;
    expect(title.cells[0]).toBe('赛罕区人民路街道兴康社区党员花名册（2023年）');
    expect(header.cells).toEqual(['序号', '姓名', '出生日期', '备注']);
    expect(r3.cells[1]).toBe('李海军');
    expect(r3.cells[2]).toEqual(new Date(Date.UTC(1966, 5, 11)));
    expect(r3.cells).toHaveLength(3); // trailing empty cell trimmed
    expect(r5.cells[1]).toBe('杜福成');
    expect(r5.cells[2]).toEqual(new Date(Date.UTC(1943, 11, 16)));
    expect(r5.cells[3]).toBeNull();
    expect(r5.cells[4]).toBe(4);
    expect(r5.line).toBe(5);
    expect(rows[5]).toEqual({ sheet: '组织架构', ref: '组织架构!2', line: 2, cells: ['兴康社区党委', 340] });
  });

  it('can restrict to some sheets', async () => {
    const rows = await collect(new XlsxReader(ledger).rows(['组织架构']));
    expect(rows.map((r) => r.ref)).toEqual(['组织架构!1', '组织架构!2']);
  });

  it('enforces maxRows, maxColumns and maxCellChars while streaming', async () => {
    await expect(collect(new XlsxReader(ledger, { maxRows: 2 }).rows())).rejects.toThrow(/sheet 党员花名册 has more than 2 rows/);
    await expect(collect(new XlsxReader(ledger, { maxColumns: 4 }).rows())).rejects.toThrow(/row 5 has a cell in column 5/);
    await expect(collect(new XlsxReader(ledger, { maxCellChars: 10 }).rows())).rejects.toThrow(/row 1 column 1 has 24 characters/);
  });

  it('refuses a truncated workbook with a clear message', async () => {
    const bytes = readFileSync(ledger);
    const p = tmp.file('cut.xlsx', bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const err = await collect(new XlsxReader(p).rows()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toMatch(/^workbook cut\.xlsx is truncated or not a valid XLSX \(/);
    expect((err as Error).message).not.toMatch(/\n\s+at /);
  });

  it('refuses an archive whose central directory claims a huge uncompressed size', async () => {
    const p = tmp.file('bomb.xlsx', buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(1000, 0x20), claimSize: 4_000_000_000 },
    ]));
    await expect(new XlsxReader(p).inspect()).rejects.toThrow(
      /bomb\.xlsx is refused as a hostile archive: its entries claim 4000000008 uncompressed bytes, more than the limit of 1073741824/,
    );
  });

  it('refuses high compression ratios and entries that inflate beyond their declared size', async () => {
    const ratio = tmp.file('ratio.xlsx', buildZip([{ name: 'xl/workbook.xml', data: Buffer.alloc(4 * 1024 * 1024, 0x41) }]));
    await expect(new XlsxReader(ratio).inspect()).rejects.toThrow(/entry xl\/workbook\.xml has a compression ratio of \d+:1, more than the limit of 200:1/);
    const liar = tmp.file('liar.xlsx', buildZip([{ name: 'xl/workbook.xml', data: Buffer.alloc(50_000, 0x41), claimSize: 100 }]));
    await expect(new XlsxReader(liar).inspect()).rejects.toThrow(/entry xl\/workbook\.xml inflates beyond the 100 bytes its header claims/);
  });

  it('refuses path tricks, too many entries, and non-workbook zips', async () => {
    const evil = tmp.file('evil.xlsx', buildZip([{ name: '../../etc/passwd', data: Buffer.from('x') }]));
    await expect(new XlsxReader(evil).inspect()).rejects.toThrow(/not a plain relative path/);
    const many = tmp.file('many.xlsx', buildZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: Buffer.from('x') }))));
    await expect(new XlsxReader(many, { maxEntries: 3 }).inspect()).rejects.toThrow(/claims 5 entries, more than the limit of 3/);
    const docx = tmp.file('doc.xlsx', buildZip([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]));
    await expect(new XlsxReader(docx).inspect()).rejects.toThrow(/doc\.xlsx is truncated or not a valid XLSX \(the archive has no xl\/workbook\.xml\)/);
  });

  it('refuses a file over maxFileBytes before opening the archive', async () => {
    await expect(new XlsxReader(ledger, { maxFileBytes: 100 }).inspect()).rejects.toThrow(/more than the limit of 100/);
  });

  it('names sheets from workbook.xml even with absolute relationship targets', () => {
    const wbXml =
      '<workbook xmlns:r="x"><workbookPr date1904="1"/><sheets><sheet name="网格 &amp; 楼栋" sheetId="3" r:id="rId7"/>' +
      '<sheet name="隐藏" sheetId="1" state="hidden" r:id="rId1"/></sheets></workbook>';
    const rels =
      '<Relationships><Relationship Id="rId7" Type="http://x/worksheet" Target="/xl/worksheets/sheet2.xml"/>' +
      '<Relationship Id="rId1" Type="http://x/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
    const { sheets, date1904 } = parseWorkbookSheets(wbXml, rels);
    expect(date1904).toBe(true);
    expect(sheets).toEqual([
      { name: '网格 & 楼栋', index: 0, state: 'visible', part: 'xl/worksheets/sheet2.xml', type: 'worksheet' },
      { name: '隐藏', index: 1, state: 'hidden', part: 'xl/worksheets/sheet1.xml', type: 'worksheet' },
    ]);
  });
});

/** Row `line` of a hand-written sheet with inline strings and numbers. */
function rowXml(line: number, values: (string | number)[]): string {
  const cells = values.map((v, i) => {
    const ref = `${String.fromCharCode(65 + i)}${line}`;
    return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  });
  return `<row r="${line}">${cells.join('')}</row>`;
}

describe('XlsxReader on the layouts other programs write', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  /** A red-property ledger as the housing department sends it: instructions, one sheet per year, a company list. */
  async function redPropertyWorkbook(): Promise<string> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('填表说明').getCell('A1').value = '1. 每年一张表；2. 党组织成立时间填到月。';
    for (const year of [2021, 2022, 2023]) {
      const ws = wb.addWorksheet(`${year}年`);
      ws.getRow(1).values = ['物业企业名称', '统一社会信用代码', '党员人数', '党组织成立时间'];
      ws.getRow(2).values = ['日富物业', '91150100MA0N000000', 10 + (year - 2021), new Date(Date.UTC(2019, 2, 1))];
      ws.getCell('D2').numFmt = 'yyyy"年"m"月"';
    }
    wb.addWorksheet('物业企业名录').getRow(1).values = ['企业名称', '联系人'];
    return tmp.file('red-property.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  }

  const expectRedProperty = async (file: string) => {
    const rows = await collect(new XlsxReader(file).rows());
    expect([...new Set(rows.map((r) => r.sheet))]).toEqual(['填表说明', '2021年', '2022年', '2023年', '物业企业名录']);
    const y2023 = rows.find((r) => r.ref === '2023年!2');
    expect(y2023?.cells).toEqual(['日富物业', '91150100MA0N000000', 12, new Date(Date.UTC(2019, 2, 1))]);
    expect(rows.find((r) => r.ref === '物业企业名录!1')?.cells).toEqual(['企业名称', '联系人']);
  };

  it('reads a multi-sheet workbook whose workbook.xml is stored after its sheets (as LibreOffice does)', async () => {
    // exceljs's archive reader parsed a sheet as soon as the rels and shared strings were in,
    // before workbook.xml: "Cannot read properties of undefined (reading 'sheets')".
    const libreOffice = (names: string[]) => {
      const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'];
      return [...first, ...names.filter((n) => !first.includes(n) && n !== 'xl/workbook.xml'), 'xl/workbook.xml'];
    };
    await expectRedProperty(tmp.file('lo.xlsx', await reorderZip(await redPropertyWorkbook(), libreOffice)));
  });

  it('reads dates when styles.xml is stored after the sheets', async () => {
    // A sheet parsed before styles.xml lost every number format: dates came out as serial numbers.
    const stylesLast = (names: string[]) => {
      const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/workbook.xml'];
      return [...first, ...names.filter((n) => !first.includes(n) && n !== 'xl/styles.xml'), 'xl/styles.xml'];
    };
    await expectRedProperty(tmp.file('styles-last.xlsx', await reorderZip(await redPropertyWorkbook(), stylesLast)));
  });

  it('reads the shared strings of a small workbook stored with its sheets first (as Excel does)', async () => {
    // unzipper ended the entry stream once it had the whole file, before the entries were all
    // handed over: the shared strings and styles stored after the sheets were sometimes dropped.
    const excel = (names: string[]) => {
      const first = ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
      return [...first, ...names.filter((n) => !first.includes(n))];
    };
    const file = tmp.file('excel-order.xlsx', await reorderZip(await redPropertyWorkbook(), excel));
    for (let attempt = 0; attempt < 5; attempt++) await expectRedProperty(file);
  });

  it('gives a community merged down over member rows to each row; merged titles and header groups stay as they are', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员花名册');
    ws.getRow(1).values = ['人民路街道党员花名册（2023年）'];
    ws.mergeCells('A1:D1');
    ws.getRow(2).values = ['所属社区', '姓名', '联系方式'];
    ws.getRow(3).values = [null, null, '电话', '住址'];
    ['张三', '李四', '王五'].forEach((name, i) => (ws.getRow(4 + i).values = [i === 0 ? '兴康社区' : null, name]));
    // Merged after the values: exceljs unmerges a range when a value is set inside it.
    ws.mergeCells('A2:A3');
    ws.mergeCells('C2:D2');
    ws.mergeCells('A4:A6');
    ws.getRow(7).values = ['河西社区', '赵六'];
    const rows = await collect(new XlsxReader(tmp.file('merged.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))).rows());
    expect(rows.map((r) => r.cells)).toEqual([
      ['人民路街道党员花名册（2023年）'],
      ['所属社区', '姓名', '联系方式'],
      ['所属社区', null, '电话', '住址'],
      ['兴康社区', '张三'],
      ['兴康社区', '李四'],
      ['兴康社区', '王五'],
      ['河西社区', '赵六'],
    ]);
  });

  it('yields sheets in workbook order, reads sheet parts under any name, and reads hidden and empty sheets', async () => {
    const file = tmp.file('odd-parts.xlsx', handWrittenWorkbook([
      { name: '名录', rows: rowXml(1, ['企业名称']), part: 'xl/worksheets/z_last.xml' },
      { name: '空表', rows: '' },
      { name: '隐藏', rows: rowXml(3, ['备注', 7]), state: 'hidden' },
    ], [], (names) => [...names].reverse()));
    const reader = new XlsxReader(file);
    expect((await reader.sheets()).map((s) => [s.name, s.state])).toEqual([['名录', 'visible'], ['空表', 'visible'], ['隐藏', 'hidden']]);
    expect((await collect(reader.rows())).map((r) => [r.ref, r.cells])).toEqual([
      ['名录!1', ['企业名称']],
      ['隐藏!3', ['备注', 7]],
    ]);
  });

  it('reads what other writers put in cells: rich inline strings, phonetic runs, ISO dates, cells without refs, boolean results', async () => {
    // exceljs's sheet reader (patched in patches/exceljs+4.4.0.patch) kept only the last run of a
    // rich inline string, took a phonetic run for the text, read t="d" as a number, failed on
    // cells without r, and read a boolean formula's result as 1.
    const sharedStrings = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>张三</t><rPh sb="0" eb="2"><t>zhang san</t></rPh></si><si>\n  <t>李四</t>\n</si></sst>';
    const rows =
      '<row r="1"><c r="A1" t="inlineStr"><is><r><t>乌云</t></r><r><rPr><b/></rPr><t>其其格</t></r></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" t="d"><v>2019-03-01T00:00:00</v></c><c r="B2" t="b"><f>ISTEXT(A1)</f><v>1</v></c></row>' +
      '<row><c t="inlineStr"><is><t>无坐标</t></is></c><c><v>7</v></c></row>';
    const file = tmp.file('writers.xlsx', handWrittenWorkbook([{ name: '党员花名册', rows }], [{ name: 'xl/sharedStrings.xml', data: Buffer.from(sharedStrings) }]));
    expect((await collect(new XlsxReader(file).rows())).map((r) => [r.ref, r.cells])).toEqual([
      ['党员花名册!1', ['乌云其其格', '张三', '李四']],
      ['党员花名册!2', [new Date(Date.UTC(2019, 2, 1)), true]],
      ['党员花名册!3', ['无坐标', 7]],
    ]);
  });

  it('reads dates in the built-in Chinese date formats that Chinese Excel and WPS refer to by number', async () => {
    // numFmtId 31 is yyyy"年"m"月"d"日" and 57 yyyy"年"m"月" with no <numFmt> entry in the file.
    const styles =
      '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>' +
      '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>' +
      '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31" applyNumberFormat="1"/><xf numFmtId="57" applyNumberFormat="1"/></cellXfs></styleSheet>';
    const rows = '<row r="1"><c r="A1" s="1"><v>31118</v></c><c r="B1" s="2"><v>43525</v></c><c r="C1" s="0"><v>43525</v></c></row>';
    const file = tmp.file('zh-dates.xlsx', handWrittenWorkbook([{ name: '党员花名册', rows }], [{ name: 'xl/styles.xml', data: Buffer.from(styles) }]));
    expect((await collect(new XlsxReader(file).rows()))[0].cells).toEqual([new Date(Date.UTC(1985, 2, 12)), new Date(Date.UTC(2019, 2, 1)), 43525]);
  });

  it('reads parts whose every element carries a namespace prefix (as the Open XML SDK writes them)', async () => {
    const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const prefixed = (xml: string) => xml.replace(/<(\/?)(?!\?)/g, '<$1x:');
    const sheet = prefixed(`<worksheet xmlns:x="${main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>43525</v></c></row></sheetData></worksheet>`);
    const strings = prefixed(`<sst xmlns:x="${main}"><si><t>日富物业</t></si></sst>`);
    const styles = prefixed(
      `<styleSheet xmlns:x="${main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>` +
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>',
    );
    const file = tmp.file('sdk.xlsx', handWrittenWorkbook([{ name: '2023年', rows: '', xml: sheet }], [
      { name: 'xl/sharedStrings.xml', data: Buffer.from(strings) },
      { name: 'xl/styles.xml', data: Buffer.from(styles) },
    ]));
    expect((await collect(new XlsxReader(file).rows())).map((r) => r.cells)).toEqual([['日富物业', new Date(Date.UTC(2019, 2, 1))]]);
  });

  it('reads inline strings, shared formulas and many sheets, past a chart sheet, drawings and charts', async () => {
    const formulas =
      '<row r="1"><c r="A1"><f>B1*2</f><v>4</v></c><c r="B1"><v>2</v></c></row>' +
      '<row r="2"><c r="A2"><f t="shared" ref="A2:A3" si="0">B2*2</f><v>6</v></c><c r="B2"><v>3</v></c></row>' +
      '<row r="3"><c r="A3"><f t="shared" si="0"/><v>8</v></c><c r="B3" t="str"><f>"x"&amp;"y"</f><v>xy</v></c></row>';
    const many = Array.from({ length: 120 }, (_, i) => ({ name: `第${i + 1}网格`, rows: rowXml(1, [`网格${i + 1}`, i]) }));
    const chart = { name: '党员人数图', rows: '', xml: '<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><drawing r:id="rId1"/></chartsheet>', chart: true };
    const file = tmp.file('mixed.xlsx', handWrittenWorkbook([{ name: '公式', rows: formulas }, chart, ...many], [
      { name: 'xl/drawings/drawing1.xml', data: Buffer.from('<xdr:wsDr xmlns:xdr="x"/>') },
      { name: 'xl/charts/chart1.xml', data: Buffer.from('<c:chartSpace xmlns:c="c"/>') },
    ]));
    const rows = await collect(new XlsxReader(file).rows());
    expect(rows.slice(0, 3).map((r) => r.cells)).toEqual([[4, 2], [6, 3], [8, 'xy']]);
    expect(rows).toHaveLength(123);
    const sheets = (await new XlsxReader(file).sheets()).map((s) => s.name);
    expect(sheets.slice(0, 2)).toEqual(['公式', '第1网格']);
    expect(sheets).toHaveLength(121);
    expect(rows[122]).toEqual({ sheet: '第120网格', ref: '第120网格!1', line: 1, cells: ['网格120', 119] });
  });
});

describe('cell value normalisation', () => {
  it('handles every exceljs value shape', () => {
    expect(normaliseCellValue({ richText: [{ text: 'a' }, { text: 'b' }] })).toBe('ab');
    expect(normaliseCellValue({ formula: 'X', result: { error: '#DIV/0!' } })).toBeNull();
    expect(normaliseCellValue({ sharedFormula: 'A1', result: 'ok' })).toBe('ok');
    expect(normaliseCellValue({ text: { richText: [{ text: '链接' }] }, hyperlink: 'h' })).toBe('链接');
    expect(normaliseCellValue({ error: '#REF!' })).toBeNull();
    expect(normaliseCellValue(Number.NaN)).toBeNull();
    expect(normaliseCellValue('a_x000D_b')).toBe('a\rb');
    expect(normaliseCellValue(45292, 'yyyy/m/d')).toEqual(new Date(Date.UTC(2024, 0, 1)));
    expect(normaliseCellValue(45292, '0.00')).toBe(45292);
  });
  it('tells date formats from number formats', () => {
    expect(isDateFormat('yyyy"年"m"月"')).toBe(true);
    expect(isDateFormat('[$-F800]dddd, mmmm dd, yyyy')).toBe(true);
    expect(isDateFormat('[h]:mm:ss')).toBe(true);
    expect(isDateFormat('0.00E+00')).toBe(false);
    expect(isDateFormat('#,##0.00"元"')).toBe(false);
    expect(isDateFormat('[Red]0.00')).toBe(false);
    expect(isDateFormat(undefined)).toBe(false);
  });
});


import { buildZip, collect, tempDir } from './testing/fixtures';
import { XlsxReader } from './xlsx-reader';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** A one-sheet workbook whose sheet data is `rows` (raw XML of the <row> elements). */
function workbook(name: string, rows: string): string {
  const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${text}`);
  return tmp.file(name, buildZip([
    { name: '[Content_Types].xml', data: xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: '_rels/.rels', data: xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', data: xml('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: xml('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: xml(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`) },
  ]));
}

const cells = (count: number) => Array.from({ length: count }, (_, i) => `<c><v>${i}</v></c>`).join('');

describe('XlsxReader column limit on sheets exceljs cannot read', () => {
  it('refuses a row of cells without references, placed past the limit, with the column-limit message', async () => {
    const path = workbook('wide.xlsx', `<row r="1"><c r="A1"><v>1</v></c></row><row r="2">${cells(40)}</row>`);
    await expect(collect(new XlsxReader(path, { maxColumns: 30 }).rows())).rejects.toMatchObject({
      code: 'limit', message: 'workbook wide.xlsx sheet 名册 row 2 has a cell in column 31, beyond the limit of 30',
    });
  });

  it('refuses a cell whose reference lies past XFD with the column-limit message, not exceljs\'s text', async () => {
    const path = workbook('far.xlsx', '<row r="1"><c r="A1"><v>1</v></c><c r="BDWGN1"><v>2</v></c></row>');
    await expect(collect(new XlsxReader(path).rows())).rejects.toMatchObject({
      code: 'limit', message: 'workbook far.xlsx sheet 名册 row 1 has a cell in column 1000000, beyond the limit of 16384',
    });
  });

  it('still reads an ordinary sheet', async () => {
    const path = workbook('plain.xlsx', '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1"><v>7</v></c></row>');
    expect((await collect(new XlsxReader(path, { maxColumns: 2 }).rows())).map((row) => row.cells)).toEqual([['姓名', 7]]);
  });
});

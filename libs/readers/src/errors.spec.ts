import * as ExcelJS from 'exceljs';
import { CsvReader } from './csv-reader';
import { ReadFault, SourceError } from './errors';
import { buildZip, collect, tempDir } from './testing/fixtures';
import { XlsxReader } from './xlsx-reader';

// The class exceljs's streaming reader builds every row with: a bug inside it is simulated here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ExcelRow = require('exceljs/lib/doc/row') as { prototype: { eachCell: (...args: unknown[]) => void; number: number } };

/** Runs a reader to its end; returns what it threw. */
async function failureOf(rows: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await collect(rows);
  } catch (err) {
    return err;
  }
  throw new Error('the reader read the whole file');
}

describe('a fault of our own is never reported as a bad file', () => {
  const tmp = tempDir('qc-read-fault-');
  let roster: string;

  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员花名册');
    ws.getRow(1).values = ['姓名', '公民身份号码'];
    for (let r = 2; r <= 6; r++) ws.getRow(r).values = [`党员${r}`, '150102199003071234'];
    roster = tmp.file('花名册.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  });
  afterAll(() => tmp.cleanup());
  afterEach(() => jest.restoreAllMocks());

  it('a TypeError inside the library, on a valid workbook: an internal error naming the sheet and row, without the cause or any cell', async () => {
    const eachCell = ExcelRow.prototype.eachCell;
    jest.spyOn(ExcelRow.prototype, 'eachCell').mockImplementation(function (this: { number: number }, ...args: unknown[]) {
      if (this.number === 4) throw new TypeError("Cannot read properties of undefined (reading 'sheets') 150102199003071234");
      return eachCell.apply(this, args);
    });
    const fault = await failureOf(new XlsxReader(roster).rows());
    expect(fault).toBeInstanceOf(ReadFault);
    expect(fault).not.toBeInstanceOf(SourceError);
    const message = (fault as ReadFault).message;
    expect(message).toMatch(/^internal error reading 花名册\.xlsx, sheet 党员花名册 near row 4: a fault of the registry, not of the file/);
    expect(message).not.toMatch(/valid XLSX|truncated|sheets|150102/);
    expect((fault as ReadFault).origin).toBeInstanceOf(TypeError);
  });

  it('a workbook whose sheet is not well-formed XML: the file is at fault, and said to be', async () => {
    const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const file = tmp.file('damaged.xlsx', buildZip([
      { name: 'xl/workbook.xml', data: Buffer.from(`<workbook xmlns:r="${ns}"><sheets><sheet name="社区" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(`<Relationships><Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`) },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>社区</t></is></c></row></sheetData></oops>') },
    ]));
    const refusal = await failureOf(new XlsxReader(file).rows());
    expect(refusal).toBeInstanceOf(SourceError);
    expect((refusal as SourceError).message).toMatch(/^workbook damaged\.xlsx is truncated or not a valid XLSX/);
  });

  it('a TypeError while reading a CSV: an internal error near the line, not an unreadable CSV', async () => {
    const file = tmp.file('社区.csv', '社区名称,户数\n兴康社区,120\n和谐社区,88\n');
    const rowMaker = CsvReader.prototype as unknown as { toRow: (...args: unknown[]) => unknown };
    const toRow = rowMaker.toRow;
    let made = 0;
    jest.spyOn(rowMaker, 'toRow').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++made === 3) throw new TypeError('a bug in toRow');
      return toRow.apply(this, args);
    });
    const fault = await failureOf(new CsvReader(file).rows());
    expect(fault).toBeInstanceOf(ReadFault);
    expect((fault as ReadFault).message).toMatch(/^internal error reading 社区\.csv, near line \d+: a fault of the registry/);
  });
});

import { SourceError } from './errors';
import { openSource } from './open-source';
import { collect, oleContainer, tempDir, xlsWorkbook } from './testing/fixtures';
import { XlsReader } from './xls-reader';

describe('XlsReader (Excel 97-2003 .xls through SheetJS)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const rowsOf = async (path: string) => {
    const reader = await openSource(path);
    if (reader.kind === 'json') throw new Error(`${path} was taken for JSON`);
    return collect(reader.rows());
  };

  const founded = new Date(Date.UTC(2019, 2, 1));
  /** The housing department's ledger: instructions, one sheet per year, a company list (hidden). */
  const redProperty = () =>
    tmp.file('红色物业台账.xls', xlsWorkbook([
      { name: '填表说明', rows: [['1. 每年一张表'], ['2. 党组织成立时间填到月']] },
      ...[2021, 2022, 2023].map((year) => ({
        name: `${year}年`,
        rows: [
          ['物业企业名称', '统一社会信用代码', '党员人数', '党组织成立时间'],
          ['日富物业', '91150100MA0N000000', 10 + (year - 2021), founded],
        ],
      })),
      { name: '物业企业名录', rows: [['企业名称', '联系人'], ['日富物业', '王经理']], hidden: true },
    ]));

  it('is chosen by the OLE2 signature, not by the file name', async () => {
    const disguised = tmp.file('台账.xlsx', xlsWorkbook([{ name: 'A', rows: [['x']] }]));
    expect((await openSource(disguised)).kind).toBe('xls');
  });

  it('reads every sheet of a multi-sheet workbook in order, with states, SHEET!ROW refs, dates and numbers', async () => {
    const reader = new XlsReader(redProperty());
    expect((await reader.sheets()).map((s) => [s.name, s.state])).toEqual([
      ['填表说明', 'visible'],
      ['2021年', 'visible'],
      ['2022年', 'visible'],
      ['2023年', 'visible'],
      ['物业企业名录', 'hidden'],
    ]);
    const rows = await collect(reader.rows());
    expect(rows.map((r) => r.ref)).toEqual(['填表说明!1', '填表说明!2', '2021年!1', '2021年!2', '2022年!1', '2022年!2', '2023年!1', '2023年!2', '物业企业名录!1', '物业企业名录!2']);
    expect(rows[7]).toEqual({ sheet: '2023年', ref: '2023年!2', line: 2, cells: ['日富物业', '91150100MA0N000000', 12, founded] });
    expect((await collect(reader.rows(['物业企业名录']))).map((r) => r.cells)).toEqual([['企业名称', '联系人'], ['日富物业', '王经理']]);
  });

  it('gives a community merged down over member rows to each row; the merged title stays one cell', async () => {
    const members = ['张三', '李四', '王五', '赵六'];
    const file = tmp.file('花名册.xls', xlsWorkbook([{
      name: '党员花名册',
      rows: [
        ['人民路街道党员花名册（2023年）'],
        ['所属社区', '姓名', '身份证号'],
        ...members.map((name, i) => [i === 0 ? '兴康社区' : null, name, `15010519850312${1230 + i}`]),
        ['河西社区', '孙七', 150105198503121250],
      ],
      merges: ['A1:C1', 'A3:A6'],
    }]));
    const rows = await collect(new XlsReader(file).rows());
    expect(rows[0].cells).toEqual(['人民路街道党员花名册（2023年）']);
    expect(rows.slice(2, 6).map((r) => r.cells[0])).toEqual(['兴康社区', '兴康社区', '兴康社区', '兴康社区']);
    expect(rows[5].cells).toEqual(['兴康社区', '赵六', '150105198503121233']);
    // An ID typed as a number is what Excel kept of it, a number, as the XLSX reader gives it.
    expect(rows[6].cells).toEqual(['河西社区', '孙七', 150105198503121250]);
  });

  it('applies the row, column and cell limits and refuses a workbook too big to read whole', async () => {
    const file = redProperty();
    await expect(collect(new XlsReader(file, { maxRows: 1 }).rows())).rejects.toThrow(/红色物业台账\.xls sheet 填表说明 has more than 1 rows/);
    await expect(collect(new XlsReader(file, { maxColumns: 3 }).rows())).rejects.toThrow(/sheet 2021年 row 1 has a cell in column 4, beyond the limit of 3/);
    await expect(collect(new XlsReader(file, { maxCellChars: 5 }).rows())).rejects.toThrow(/sheet 填表说明 row 1 column 1 has 8 characters/);
    const err = await collect(new XlsReader(file, { maxWholeWorkbookBytes: 2048 }).rows()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('too-large');
    expect((err as Error).message).toMatch(/^workbook 红色物业台账\.xls is a legacy \.xls of \d+ bytes, more than the limit of 2048 for a workbook read whole into memory; save it as \.xlsx$/);
  });

  it('refuses a truncated .xls, a password-protected workbook and other OLE2 files with a clear reason; a file that only carries the name is read by its content', async () => {
    const whole = xlsWorkbook([{ name: '党员花名册', rows: Array.from({ length: 200 }, (_, i) => [`党员${i}`, i]) }]);
    for (const keep of [0.3, 0.6, 0.9]) {
      const cut = tmp.file(`cut-${keep}.xls`, whole.subarray(0, Math.floor(whole.length * keep)));
      const err = await rowsOf(cut).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      expect((err as Error).message).toMatch(new RegExp(`^workbook cut-${keep}\\.xls is truncated or not a valid \\.xls workbook \\(`));
    }
    const binary = tmp.file('not-ole.xls', Buffer.from([0x01, 0x02, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x07, 0x00, 0x00]));
    await expect(rowsOf(binary)).rejects.toThrow(/not-ole\.xls is not a text CSV \(binary data/);
    const protectedXlsx = tmp.file('加密.xlsx', oleContainer({ EncryptionInfo: Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), EncryptedPackage: Buffer.alloc(600, 7) }));
    await expect(rowsOf(protectedXlsx)).rejects.toThrow(/^workbook 加密\.xlsx is password-protected; open it in Excel and save it without a password as \.xlsx$/);
    const word = tmp.file('通知.xls', oleContainer({ WordDocument: Buffer.alloc(600, 7) }));
    await expect(rowsOf(word)).rejects.toThrow(/^workbook 通知\.xls is truncated or not a valid \.xls workbook \(Cannot find Workbook stream\)$/);
    const tsv = tmp.file('export.xls', '姓名\t性别\n张三\t男\n');
    expect((await rowsOf(tsv)).map((r) => r.cells)).toEqual([['姓名', '性别'], ['张三', '男']]);
  });
});

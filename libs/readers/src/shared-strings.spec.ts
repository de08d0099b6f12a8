import * as ExcelJS from 'exceljs';
import { SourceError } from './errors';
import { countSharedStrings, mayExceed, SHARED_STRINGS_PART } from './shared-strings';
import { buildZip, collect, tempDir } from './testing/fixtures';
import { XlsxReader } from './xlsx-reader';
import { readZipDirectory } from './zip-directory';

describe('shared-strings bounds', () => {
  const tmp = tempDir('qc-shared-strings-');
  afterAll(() => tmp.cleanup());

  /** A one-sheet workbook whose column A holds these strings (exceljs writes them to the shared-strings table). */
  async function workbookOf(name: string, strings: string[]): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员花名册');
    strings.forEach((text, i) => (ws.getRow(i + 1).values = [text]));
    return tmp.file(name, Buffer.from(await wb.xlsx.writeBuffer()));
  }

  it('counts strings and characters as written, Chinese text and every form of <si> included, across inflate chunks', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><sst count="4"><si><t>兴康社区</t></si><si xml:space="preserve"><t>ab</t></si><si/>`
      + `<si><r><rPr><b/></rPr><t>乌云</t></r><r><t>其其格</t></r></si><sit>not a string</sit>${'<si><t>张伟</t></si>'.repeat(20_000)}</sst>`;
    const file = tmp.file('parts.zip', buildZip([{ name: SHARED_STRINGS_PART, data: Buffer.from(xml) }]));
    const [entry] = (await readZipDirectory(file, { maxEntries: 10 })).entries;
    const count = await countSharedStrings(file, entry, { maxSharedStrings: 1e9, maxSharedStringChars: 1e9 });
    expect(count.strings).toBe(4 + 20_000);
    expect(count.chars).toBe(4 + 2 + 2 + 3 + 'not a string'.length + 2 * 20_000);
    expect(count.bytes).toBe(Buffer.byteLength(xml));
  });

  it('stops counting as soon as a limit is passed', async () => {
    const xml = `<sst>${'<si><t>张伟</t></si>'.repeat(200_000)}</sst>`;
    const file = tmp.file('long.zip', buildZip([{ name: SHARED_STRINGS_PART, data: Buffer.from(xml) }]));
    const [entry] = (await readZipDirectory(file, { maxEntries: 10 })).entries;
    const count = await countSharedStrings(file, entry, { maxSharedStrings: 1000, maxSharedStringChars: 1e9 });
    expect(count.strings).toBeGreaterThan(1000);
    expect(count.bytes).toBeLessThan(Buffer.byteLength(xml));
  });

  it('needs no counting when the declared size alone keeps the part within the limits', () => {
    expect(mayExceed(4_000, { maxSharedStrings: 1000, maxSharedStringChars: 10_000 })).toBe(false);
    expect(mayExceed(6_000, { maxSharedStrings: 1000, maxSharedStringChars: 10_000 })).toBe(true);
    expect(mayExceed(12_000, { maxSharedStrings: 1e6, maxSharedStringChars: 10_000 })).toBe(true);
  });

  it('refuses a workbook whose shared strings hold more characters than the limit, before reading a row, naming the file and the memory needed', async () => {
    const file = await workbookOf('长字符串.xlsx', Array.from({ length: 100 }, (_, i) => `${i}${'兴康社区党员'.repeat(100)}`));
    const reader = new XlsxReader(file, { maxSharedStringChars: 20_000 });
    const refusal = await collect(reader.rows()).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(SourceError);
    expect((refusal as SourceError).code).toBe('memory');
    expect((refusal as SourceError).message).toMatch(/^workbook 长字符串\.xlsx: the workbook's shared strings need more memory than the worker has: \d+ MB \(xl\/sharedStrings\.xml holds more than 20000 characters/);
  });

  it('refuses a workbook with more shared strings than the limit', async () => {
    const file = await workbookOf('多字符串.xlsx', Array.from({ length: 3000 }, (_, i) => `党员${i}`));
    const refusal = await collect(new XlsxReader(file, { maxSharedStrings: 2000 }).rows()).catch((err: unknown) => err);
    expect((refusal as SourceError).code).toBe('memory');
    expect((refusal as SourceError).message).toContain('holds more than 2000 strings (limit maxSharedStrings)');
  });

  it('reads a workbook within the limits', async () => {
    const strings = Array.from({ length: 3000 }, (_, i) => `党员${i}`);
    const file = await workbookOf('花名册.xlsx', strings);
    const rows = await collect(new XlsxReader(file, { maxSharedStrings: 3000, maxSharedStringChars: 20_000 }).rows());
    expect(rows.map((r) => r.cells[0])).toEqual(strings);
  });
});

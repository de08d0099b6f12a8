import * as ExcelJS from 'exceljs';
import fc from 'fast-check';
import { encode } from 'iconv-lite';
import { CsvReader } from './csv-reader';
import { detectDelimiter } from './delimiter';
import { detectBinary, guessEncoding } from './encoding';
import { SourceError } from './errors';
import { JsonReader } from './json-reader';
import { openSource } from './open-source';
import { collect, tempDir, xlsWorkbook } from './testing/fixtures';
import { XlsReader } from './xls-reader';
import { XlsxReader } from './xlsx-reader';

/** Bounded so that the whole fuzz suite stays well under 30 s on a shared 2-core machine (each run writes a file). */
const FILE_RUNS = { numRuns: 60 };

/** Reads a file to the end; the only acceptable failure is a SourceError (a refusal with a message naming the file). */
async function readOrRefuse(path: string, name: string): Promise<'read' | 'refused'> {
  try {
    const source = await openSource(path);
    if (source instanceof JsonReader) await collect(source.elements());
    else await collect(source.rows());
    return 'read';
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    expect(err.message).toContain(name);
    return 'refused';
  }
}

/** Cell text as people type it into ledgers: Chinese, Latin, digits, punctuation that CSV must quote. */
const cellText = fc.string({ unit: fc.constantFrom(...'兴康社区党支部张伟乌云·其其格abcXYZ0123456789 ,"\'\r\n;\t|=-'), maxLength: 12 });

describe('readers under random input (fast-check)', () => {
  const tmp = tempDir('qc-fuzz-');
  afterAll(() => tmp.cleanup());
  let n = 0;

  it('never throw anything but a SourceError, whatever the bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom('x.csv', 'x.xlsx', 'x.json'), async (bytes, name) => {
      const file = `${n++}-${name}`;
      await readOrRefuse(tmp.file(file, Buffer.from(bytes)), file);
    }), FILE_RUNS);
  });

  it('never throw anything but a SourceError on text that looks like CSV or JSON', async () => {
    const csvish = fc.array(fc.array(cellText, { maxLength: 6 }), { maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\r\n'));
    const jsonish = fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v));
    await fc.assert(fc.asyncProperty(fc.oneof(csvish, jsonish, fc.string({ unit: fc.constantFrom(...'[]{}",:\\ 0a\n'), maxLength: 200 })), fc.constantFrom('utf8', 'gb18030'), async (text, encoding) => {
      const file = `${n++}-t.csv`;
      await readOrRefuse(tmp.file(file, encode(text, encoding)), file);
    }), FILE_RUNS);
  });

  it('reads back every cell of a CSV it is given, in UTF-8 or GB18030, quoted as Excel writes it', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 2, max: 6 }).chain((width) => fc.array(fc.array(cellText, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 10 })),
      fc.constantFrom('utf8', 'gb18030'),
      async (rows, encoding) => {
        const header = rows[0].map((_, i) => `列${i}`);
        const quoted = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
        const path = tmp.file(`${n++}-r.csv`, encode([header, ...rows].map(quoted).join('\r\n'), encoding));
        const read = await collect(new CsvReader(path).rows());
        // A record whose every cell is empty is a blank line to a reader; the others come back as written.
        expect(read.map((r) => r.cells)).toEqual([header, ...rows].map((r) => r.map((c) => (c === '' ? null : c))));
      }), FILE_RUNS);
  });

  it('reads back the cells of a small workbook', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(fc.oneof(cellText.filter((t) => t.trim() !== '' && !/[\r\t]/.test(t)), fc.integer({ min: -1e6, max: 1e6 })), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (rows) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('名册');
      rows.forEach((row) => sheet.addRow(row));
      const path = tmp.file(`${n++}.xlsx`, Buffer.from(await workbook.xlsx.writeBuffer()));
      const read = await collect(new XlsxReader(path).rows());
      expect(read.map((r) => r.cells)).toEqual(rows);
    }), { numRuns: 25 });
  });

  /** Copies of a real workbook with bytes overwritten past its signature, or cut short: read or refused, never a crash. */
  const damagedCopies = (whole: Buffer, extension: string) =>
    fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: whole.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), fc.nat({ max: whole.length }), async (writes, keep) => {
      const bytes = Buffer.from(whole.subarray(0, Math.max(8, keep)));
      for (const [at, value] of writes) if (at >= 8 && at < bytes.length) bytes[at] = value;
      const file = `${n++}-damaged.${extension}`;
      await readOrRefuse(tmp.file(file, bytes), file);
    });
  const rosterRows = [['姓名', '出生日期'], ...Array.from({ length: 40 }, (_, i) => [`党员${i}`, new Date(Date.UTC(1980, 0, 1 + i))])];

  it('never throw anything but a SourceError on a damaged .xls', async () => {
    await fc.assert(damagedCopies(xlsWorkbook([{ name: '党员花名册', rows: rosterRows, merges: ['A2:A3'] }]), 'xls'), FILE_RUNS);
  });

  it('never throw anything but a SourceError on a damaged .xlsx', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('党员花名册');
    rosterRows.forEach((row) => sheet.addRow(row));
    sheet.mergeCells('A2:A3');
    await fc.assert(damagedCopies(Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx'), FILE_RUNS);
  });

  it('reads back the cells of a small .xls', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(fc.oneof(cellText.filter((t) => t.trim() !== ''), fc.integer({ min: -1e6, max: 1e6 })), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }), async (rows) => {
      const path = tmp.file(`${n++}.xls`, xlsWorkbook([{ name: '名册', rows }]));
      const read = await collect(new XlsReader(path).rows());
      expect(read.map((r) => r.cells)).toEqual(rows);
    }), { numRuns: 25 });
  });

  it('refuses JSON nested deeper than the limit, at any depth, without recursion', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 65, max: 50_000 }), fc.constantFrom('[', '{"a":'), async (depth, open) => {
      const close = open === '[' ? ']' : '}';
      const file = `${n++}-deep.json`;
      const path = tmp.file(file, `[${open.repeat(depth)}1${close.repeat(depth)}]`);
      await expect(collect(new JsonReader(path).elements())).rejects.toThrow(/deeper than 64 levels/);
    }), { numRuns: 20 });
  });

  it('sniffs encoding, binary data and delimiter of any bytes without throwing, and takes valid UTF-8 for UTF-8', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, atEof) => {
      expect(['utf8', 'gb18030']).toContain(guessEncoding(bytes, atEof).encoding);
      detectBinary(bytes);
      detectDelimiter(Buffer.from(bytes).toString('latin1'));
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      expect(guessEncoding(Buffer.from(text, 'utf8'), true).encoding).toBe('utf8');
    }), { numRuns: 500 });
  });
});

import * as iconv from 'iconv-lite';
import { CsvOptions, CsvReader } from './csv-reader';
import { byteScannable, CsvRange, CsvRowScanner, splitCsvRanges } from './csv-ranges';
import { RawRow } from './types';
import { collect, tempDir } from './testing/fixtures';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Every row a whole-file reader yields (or its error), and the same read range by range. */
async function wholeAndRanged(path: string, targetBytes: number, options: CsvOptions = {}) {
  const whole = await outcome(new CsvReader(path, {}, options));
  const probe = await new CsvReader(path, {}, options).probe();
  const ranges = await splitCsvRanges(path, { delimiter: probe.delimiter, startOffset: probe.bom ? 3 : 0, targetBytes });
  const parts: (RawRow[] | string)[] = [];
  for (const range of ranges) parts.push(await outcome(new CsvReader(path, {}, { ...options, range })));
  const error = parts.find((p): p is string => typeof p === 'string');
  return { whole, ranged: error ?? parts.flat() as RawRow[], ranges };
}

async function outcome(reader: CsvReader): Promise<RawRow[] | string> {
  try {
    return await collect(reader.rows());
  } catch (err) {
    return (err as Error).message;
  }
}

function rowEnds(text: string | Buffer, delimiter: ',' | '\t' = ','): { offset: number; linesBefore: number }[] {
  const ends: { offset: number; linesBefore: number }[] = [];
  const scanner = new CsvRowScanner(delimiter, 0, (offset, linesBefore) => ends.push({ offset, linesBefore }));
  scanner.scan(typeof text === 'string' ? Buffer.from(text) : text);
  scanner.finish();
  return ends;
}

describe('CsvRowScanner', () => {
  it('ends rows at CRLF, LF and a lone CR, and counts each as one line', () => {
    expect(rowEnds('a,b\r\nc\nd\re')).toEqual([
      { offset: 5, linesBefore: 1 }, { offset: 7, linesBefore: 2 }, { offset: 9, linesBefore: 3 }, { offset: 10, linesBefore: 3 },
    ]);
  });

  it('does not end a row inside a quoted cell, where line breaks, delimiters and doubled quotes are content', () => {
    const text = 'a,"x\r\ny,""z""\n"\r\nb,c\r\n';
    expect(rowEnds(text)).toEqual([{ offset: text.indexOf('b,c'), linesBefore: 3 }, { offset: text.length, linesBefore: 4 }]);
  });

  it('reads a quote inside an unquoted cell as a character (relaxed quoting), and a quote after a closed one ends the quoting', () => {
    expect(rowEnds('a,b"c\nd\n').map((e) => e.offset)).toEqual([6, 8]);
    // "x"y: the quoting ends at the second quote, so the line break ends the row.
    expect(rowEnds('"x"y\nz\n').map((e) => e.offset)).toEqual([5, 7]);
  });

  it('takes the file delimiter for the start of a cell: a quote after a tab opens quoting in a tab-separated file', () => {
    expect(rowEnds('a\t"b\nc"\nd\n', '\t').map((e) => e.offset)).toEqual([8, 10]);
    expect(rowEnds('a\t"b\nc"\nd\n', ',').map((e) => e.offset)).toEqual([5, 8, 10]);
  });

  it('finds the same boundaries when the bytes come in chunks cut anywhere (between CR and LF, or after a quote)', () => {
    const text = Buffer.from('h1,h2\r\n"a\r\n""b""",c\r\n1,"2"\r\n');
    const whole = rowEnds(text);
    for (let cut = 1; cut < text.length; cut++) {
      const ends: { offset: number; linesBefore: number }[] = [];
      const scanner = new CsvRowScanner(',', 0, (offset, linesBefore) => ends.push({ offset, linesBefore }));
      scanner.scan(text.subarray(0, cut));
      scanner.scan(text.subarray(cut));
      scanner.finish();
      expect(ends).toEqual(whole);
    }
  });

  it('is used only where no delimiter byte can occur inside a character', () => {
    expect(byteScannable('gb18030', ',')).toBe(true);
    expect(byteScannable('gb18030', '\t')).toBe(true);
    expect(byteScannable('gb18030', '|')).toBe(false);
    expect(byteScannable('utf8', '|')).toBe(true);
    // '|' is 0x7C: a valid trailing byte of a GB18030 character.
    expect(iconv.decode(Buffer.from([0x81, 0x7c]), 'gb18030')).toHaveLength(1);
  });
});

describe('splitCsvRanges', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('cuts a GB18030 CRLF export with quoted multi-line cells into ranges that read as the whole file does (rows, lines, cells)', async () => {
    const lines = ['序号,姓名,所在党组织,备注'];
    for (let i = 1; i <= 60; i++) {
      lines.push(i % 7 === 0 ? `${i},"张,三${i}","中共兴康社区\r\n第${i}网格支部委员会","说""明"""` : `${i},李四${i},中共赛罕区委员会,`);
    }
    const path = tmp.file('gb.csv', iconv.encode(`${lines.join('\r\n')}\r\n`, 'gb18030'));
    const { whole, ranged, ranges } = await wholeAndRanged(path, 150);
    expect(ranges.length).toBeGreaterThan(5);
    expect(ranged).toEqual(whole);
    expect((whole as RawRow[]).find((r) => r.cells[0] === '14')).toMatchObject({ line: 16, cells: ['14', '张,三14', '中共兴康社区\r\n第14网格支部委员会', '说"明"'] });
  });

  it('never cuts inside a quoted cell, even where the target size falls in it', async () => {
    const cell = `"${'长文本,\n'.repeat(40)}"`;
    const text = `a,b\n1,${cell}\n2,x\n3,${cell}\n`;
    const path = tmp.file('long.csv', text);
    const { whole, ranged, ranges } = await wholeAndRanged(path, 3);
    // One range per row: every target falls inside a row, and each cut waits for the row's end.
    expect(ranges.map((r) => r.rows)).toEqual([1, 1, 1, 1]);
    expect(ranges.map((r) => r.firstLine)).toEqual([1, 2, 43, 44]);
    expect(ranged).toEqual(whole);
  });

  it('starts the first range after a byte order mark and ends the last at the end of the file', async () => {
    const body = Buffer.from('社区代码,社区名称\r\n150105001019,兴康社区居委会\r\n150105001020,"河西\r\n社区"\r\n150105001021,末行');
    const path = tmp.file('bom.csv', Buffer.concat([BOM, body]));
    const { whole, ranged, ranges } = await wholeAndRanged(path, 1);
    expect(ranges[0].start).toBe(3);
    expect(ranges[ranges.length - 1].end).toBe(body.length + 3);
    expect(ranges.map((r) => r.firstLine)).toEqual([1, 2, 3, 5]);
    expect((ranged as RawRow[])[0].cells[0]).toBe('社区代码');
    expect(ranged).toEqual(whole);
  });

  it('gives the rows of empty lines, lone CR line ends and stray quotes the same places as a whole-file read', async () => {
    const path = tmp.file('odd.csv', 'a,b\r\r\n1,x"y\r2,"p"q\n\n3,"""\n"\n4,z');
    const { whole, ranged } = await wholeAndRanged(path, 1);
    expect(ranged).toEqual(whole);
  });

  it('agrees with a whole-file read on random CSV-like text, quote never closed included', async () => {
    // A fixed-seed generator: the same texts every run.
    let seed = 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', '中', ',', '"', '"', '\r', '\n', '\r\n', ' '];
    for (let round = 0; round < 150; round++) {
      let text = 'h1,h2\n';
      const length = 10 + Math.floor(next() * 80);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const path = tmp.file(`fuzz-${round}.csv`, text);
      const { whole, ranged } = await wholeAndRanged(path, 1 + Math.floor(next() * 12), { delimiter: ',' });
      // A file refused for a quote never closed is refused either way; the line its message names
      // depends on how many records the parser handed out before failing, which depends on chunking.
      const refusal = (rows: RawRow[] | string) => (typeof rows === 'string' ? rows.replace(/line \d+/, 'line N') : rows);
      expect({ round, rows: refusal(ranged) }).toEqual({ round, rows: refusal(whole) });
    }
  });

  it('counts every row of the file once across its ranges, with each range beginning where the last ended', async () => {
    const path = tmp.file('count.csv', `h\n${Array.from({ length: 500 }, (_, i) => `${i},"${i}\n${i}"`).join('\n')}\n`);
    const ranges: CsvRange[] = await splitCsvRanges(path, { delimiter: ',', startOffset: 0, targetBytes: 1000 });
    expect(ranges.reduce((n, r) => n + r.rows, 0)).toBe(501);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBe(ranges[i - 1].end);
  });
});

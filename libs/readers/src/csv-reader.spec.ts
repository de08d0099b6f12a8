import * as iconv from 'iconv-lite';
import { CsvReader } from './csv-reader';
import { SourceError } from './errors';
import { collect, tempDir } from './testing/fixtures';

describe('CsvReader', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('reads a GB18030 CRLF export with Chinese headers', async () => {
    const p = tmp.file('s1.csv', iconv.encode('序号,姓名,所在党组织\r\n1,张三,中共呼和浩特市赛罕区兴康社区委员会\r\n2,李四 ,\r\n', 'gb18030'));
    const r = new CsvReader(p);
    const rows = await collect(r.rows());
    expect((await r.probe()).encoding).toBe('gb18030');
    expect(rows.map((x) => x.ref)).toEqual(['1', '2', '3']);
    expect(rows[1].cells).toEqual(['1', '张三', '中共呼和浩特市赛罕区兴康社区委员会']);
    expect(rows[2].cells).toEqual(['2', '李四 ', null]);
    expect(rows[0].sheet).toBeNull();
  });

  it('reads UTF-8 with and without BOM and strips the BOM from the first cell', async () => {
    const body = '社区代码,社区名称\n150105001019,兴康社区居委会\n';
    const withBom = tmp.file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]));
    const noBom = tmp.file('nobom.csv', Buffer.from(body));
    const a = new CsvReader(withBom);
    const rowsA = await collect(a.rows());
    expect(rowsA[0].cells[0]).toBe('社区代码');
    expect(await a.probe()).toMatchObject({ encoding: 'utf8', bom: true });
    const b = new CsvReader(noBom);
    expect((await collect(b.rows()))[1].cells).toEqual(['150105001019', '兴康社区居委会']);
    expect((await b.probe()).encodingReason).toBe('valid-utf8');
  });

  it('detects semicolon and tab delimiters', async () => {
    const semi = tmp.file('semi.csv', '姓名;电话\n"王, 五";139\n');
    const tab = tmp.file('tab.csv', '姓名\t电话\n赵六\t138\n');
    expect((await collect(new CsvReader(semi).rows()))[1].cells).toEqual(['王, 五', '139']);
    expect((await collect(new CsvReader(tab).rows()))[1].cells).toEqual(['赵六', '138']);
  });

  it('reports the physical start line of records with embedded newlines and blank lines', async () => {
    const p = tmp.file('nl.csv', '姓名,备注\r\n甲,"第一行\r\n第二行\r\n第三行"\r\n\r\n乙,x\n丙,"a\nb"\n丁,y');
    const rows = await collect(new CsvReader(p).rows());
    expect(rows.map((r) => [r.ref, r.cells[0]])).toEqual([
      ['1', '姓名'],
      ['2', '甲'],
      ['6', '乙'],
      ['7', '丙'],
      ['9', '丁'],
    ]);
    expect(rows[1].cells[1]).toBe('第一行\r\n第二行\r\n第三行');
  });

  it('tolerates ragged rows and stray quotes inside unquoted cells', async () => {
    const p = tmp.file('dirty.csv', 'a,b,c\n1,他说"好",3,4\n5\n');
    const rows = await collect(new CsvReader(p).rows());
    expect(rows[1].cells).toEqual(['1', '他说"好"', '3', '4']);
    expect(rows[2].cells).toEqual(['5']);
  });

  it('refuses a binary file named .csv, naming the byte', async () => {
    const p = tmp.file('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    await expect(collect(new CsvReader(p).rows())).rejects.toThrow('file photo.csv is not a text CSV (binary data at byte 8)');
  });

  it('refuses UTF-16 with a clear message', async () => {
    const p = tmp.file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]));
    const err = await collect(new CsvReader(p).rows()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe('encoding');
    expect((err as SourceError).message).toMatch(/u16\.csv is UTF-16 encoded/);
  });

  it('refuses a mostly undecodable file, naming file and first bad line', async () => {
    // valid-looking ASCII header, then bytes that are neither UTF-8 nor GB18030 (0x80 and 0xFF are not GB18030 lead bytes)
    const lines = ['a,b'];
    for (let i = 0; i < 10; i++) lines.push('x\x80\xff\x80,y\xff');
    const p = tmp.file('garbage.csv', Buffer.from(lines.join('\n'), 'latin1'));
    await expect(collect(new CsvReader(p).rows())).rejects.toThrow(/garbage\.csv is mostly undecodable as GB18030: 10 of 11 records .*first at line 2/);
  });

  it('keeps going on a file with a few damaged records and counts them', async () => {
    const good = iconv.encode('姓名,性别\n张三,男\n李四,女\n王五,男\n', 'gb18030');
    const p = tmp.file('some-bad.csv', Buffer.concat([good, Buffer.from([0xff, 0x2c, 0x41, 0x0a])]));
    const r = new CsvReader(p);
    const rows = await collect(r.rows());
    expect(rows).toHaveLength(5);
    expect(r.stats).toMatchObject({ damagedRecords: 1, firstDamagedLine: 5 });
  });

  it('names the line of a quote that never closes', async () => {
    const p = tmp.file('openquote.csv', 'a,b\n1,2\n3,"never closed\n4,5\n');
    await expect(collect(new CsvReader(p).rows())).rejects.toThrow('file openquote.csv: a quoted cell opened in the record starting at line 3 is never closed');
  });

  it('enforces maxColumns and maxCellChars', async () => {
    const wide = tmp.file('wide.csv', 'a,b,c,d\n');
    await expect(collect(new CsvReader(wide, { maxColumns: 3 }).rows())).rejects.toThrow(/line 1 has 4 cells/);
    const long = tmp.file('long.csv', `a\n${'x'.repeat(50)}\n`);
    await expect(collect(new CsvReader(long, { maxCellChars: 10 }).rows())).rejects.toThrow(/line 2 column 1 has 50 characters/);
  });

  it('streams a large file with correct line numbers', async () => {
    const n = 30000;
    const parts = ['序号,姓名,备注'];
    for (let i = 1; i <= n; i++) parts.push(i % 1000 === 0 ? `${i},名${i},"多\n行"` : `${i},名${i},`);
    const p = tmp.file('big.csv', iconv.encode(parts.join('\r\n'), 'gb18030'));
    let count = 0;
    let lastRef = '';
    let expectedLine = 1;
    let ok = true;
    for await (const row of new CsvReader(p).rows()) {
      if (Number(row.ref) !== expectedLine) ok = false;
      expectedLine += String(row.cells[2] ?? '').includes('\n') ? 2 : 1;
      count++;
      lastRef = row.ref;
    }
    expect(ok).toBe(true);
    expect(count).toBe(n + 1);
    // the last record is itself two lines long and starts one line before the end
    expect(Number(lastRef)).toBe(n + n / 1000);
  }, 60_000); // 30,000 lines: a hang guard, not a timing goal (a loaded machine took over 5 s)
});

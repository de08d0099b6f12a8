import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { csvCell, csvRecord, writeCsv } from './csv-writer';

async function* rowsOf(rows: unknown[][]): AsyncGenerator<unknown[]> {
  yield* rows;
}

describe('csvCell', () => {
  it('quotes per RFC 4180 only where needed, doubling quotes', () => {
    expect(csvCell('兴康社区居委会')).toBe('兴康社区居委会');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+86 471')).toBe("'+86 471");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes numbers as numbers, empties as nothing, dates as ISO and objects as JSON', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(0.75)).toBe('0.75');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2024-03-01T08:00:00Z'))).toBe('2024-03-01T08:00:00.000Z');
    expect(csvCell({ 户数: '很多', 社区书记: '韩超' })).toBe('"{""户数"":""很多"",""社区书记"":""韩超""}"');
  });

  it('ends a record with CRLF', () => {
    expect(csvRecord(['a', 1, null, 'b c'])).toBe('a,1,,b c\r\n');
  });
});

describe('writeCsv', () => {
  it('writes the header, the rows and an optional BOM, and counts the rows', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qc-csv-')), 'out.csv');
    const written = await writeCsv(rowsOf([['兴康', 1], ['=cmd', -2]]), createWriteStream(path), { header: ['name', 'n'], bom: true });
    expect(written).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('\uFEFFname,n\r\n兴康,1\r\n\'=cmd,-2\r\n');
  });

  it('pulls rows only as fast as the output takes them', async () => {
    let produced = 0;
    let maxAhead = 0;
    let consumed = 0;
    async function* many(): AsyncGenerator<unknown[]> {
      for (let i = 0; i < 2000; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield [i, 'x'.repeat(100)];
      }
    }
    const slow = new Writable({
      highWaterMark: 1024,
      write(_chunk, _encoding, done) {
        consumed++;
        setImmediate(done);
      },
    });
    expect(await writeCsv(many(), slow, { header: ['i', 'pad'] })).toBe(2000);
    expect(maxAhead).toBeLessThan(100);
  });

  it('rejects when the output fails', async () => {
    const broken = new Writable({ write: (_chunk, _encoding, done) => done(new Error('disk full')) });
    await expect(writeCsv(rowsOf([['a']]), broken, { header: ['h'] })).rejects.toThrow('disk full');
  });
});

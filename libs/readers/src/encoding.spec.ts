import { checkUtf8, detectBinary, detectBom, guessEncoding } from './encoding';
import { detectDelimiter } from './delimiter';
import { LineIndex } from './line-index';
import * as iconv from 'iconv-lite';

describe('encoding detection', () => {
  it('accepts a UTF-8 character cut by the end of a sample, but not at end of file', () => {
    const bytes = Buffer.from('姓名,性别', 'utf8');
    const cut = bytes.subarray(0, 4); // 姓 (3 bytes) + first byte of 名
    expect(checkUtf8(cut, true).valid).toBe(true);
    expect(checkUtf8(cut, false)).toEqual({ valid: false, ascii: false, invalidAt: 3 });
    expect(guessEncoding(cut, false).encoding).toBe('utf8');
  });

  it('treats GB18030 text as GB18030 and rejects overlong/surrogate UTF-8', () => {
    const gb = iconv.encode('姓名,性别,民族\r\n张三,男,汉族\r\n', 'gb18030');
    expect(guessEncoding(gb, true)).toEqual({ encoding: 'gb18030', bomLength: 0, reason: 'fallback-gb18030' });
    expect(checkUtf8(Buffer.from([0xc0, 0xaf]), false).valid).toBe(false);
    expect(checkUtf8(Buffer.from([0xed, 0xa0, 0x80]), false).valid).toBe(false);
  });

  it('recognises BOMs and pure ASCII', () => {
    expect(detectBom(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toBe('utf8');
    expect(detectBom(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('utf16le');
    expect(detectBom(Buffer.from([0xfe, 0xff]))).toBe('utf16be');
    expect(guessEncoding(Buffer.from('a,b\n1,2\n'), true).reason).toBe('ascii');
    expect(guessEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), true)).toEqual({ encoding: 'utf8', bomLength: 3, reason: 'utf8-bom' });
  });

  it('flags NUL bytes and control-character soup as binary, with the offset', () => {
    expect(detectBinary(Buffer.from('a,b\n1,\u00002'))).toEqual({ binary: true, at: 6 });
    const soup = Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41)));
    expect(detectBinary(soup).binary).toBe(true);
    expect(detectBinary(Buffer.from('姓名\t性别\r\n')).binary).toBe(false);
  });
});

describe('delimiter detection', () => {
  it('ignores delimiters inside quotes', () => {
    const text = 'name;note\n"Li, Wei";"a, b, c"\n"Wang";"x,y"\n';
    expect(detectDelimiter(text).delimiter).toBe(';');
  });
  it('finds tab and pipe, defaults to comma for one column', () => {
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n').delimiter).toBe('\t');
    expect(detectDelimiter('a|b\n1|2\n3|4\n')).toMatchObject({ delimiter: '|', fields: 2 });
    expect(detectDelimiter('only\none\n').delimiter).toBe(',');
  });
  it('copes with ragged rows', () => {
    expect(detectDelimiter('a,b,c\n1,2\n3,4,5\n6,7,8,9\n').delimiter).toBe(',');
  });
});

describe('LineIndex', () => {
  it('counts CRLF (even split across chunks), LF and lone CR as one line end each', () => {
    const idx = new LineIndex();
    idx.scan(Buffer.from('ab\r'));
    idx.scan(Buffer.from('\ncd\ref\ngh'));
    expect(idx.lineAt(0)).toBe(1);
    expect(idx.lineAt(4)).toBe(2); // "cd"
    expect(idx.lineAt(7)).toBe(3); // "ef"
    expect(idx.lineAt(10)).toBe(4); // "gh"
  });
});

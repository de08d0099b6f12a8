import { copyField, copyLine, escapeCopyText } from './copy-text';

describe('COPY text format', () => {
  it('escapes the delimiter, the line ends and the escape character itself, and nothing else', () => {
    expect(escapeCopyText('a\tb')).toBe('a\\tb');
    expect(escapeCopyText('line1\nline2\r\n')).toBe('line1\\nline2\\r\\n');
    expect(escapeCopyText('C:\\dir\\file')).toBe('C:\\\\dir\\\\file');
    expect(escapeCopyText('张伟 😀 "quoted" , ; |')).toBe('张伟 😀 "quoted" , ; |');
  });

  it('writes null as \\N and a literal \\N as text, an empty string as an empty field', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('')).toBe('');
  });

  it('writes numbers, booleans and bigints as PostgreSQL reads them', () => {
    expect(copyField(42)).toBe('42');
    expect(copyField(-0.5)).toBe('-0.5');
    expect(copyField(true)).toBe('true');
    expect(copyField(12345678901234567890n)).toBe('12345678901234567890');
  });

  it('writes a Date as node-postgres sends it: local time with its offset, milliseconds kept', () => {
    const date = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7));
    expect(new Date(copyField(date)).getTime()).toBe(date.getTime());
    expect(copyField(date)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.007[+-]\d{2}:\d{2}$/);
  });

  it('writes arrays as array literals, their quotes and backslashes escaped twice (array, then COPY)', () => {
    expect(copyField(['a', null, 'b,c', 'say "hi"', 'back\\slash'])).toBe('{"a",NULL,"b,c","say \\\\"hi\\\\"","back\\\\\\\\slash"}');
    expect(copyField(['tab\there'])).toBe('{"tab\\there"}');
    expect(copyField([])).toBe('{}');
  });

  it('writes bytea as hex input with its backslash escaped', () => {
    expect(copyField(Buffer.from([0, 1, 0xfe, 0xff]))).toBe('\\\\x0001feff');
  });

  it('joins fields with tabs and ends the line', () => {
    expect(copyLine(['a\tb', null, 3])).toBe('a\\tb\t\\N\t3\n');
  });
});

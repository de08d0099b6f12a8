import { sanitizeUploadName } from './upload-name';

describe('sanitizeUploadName', () => {
  it('keeps an ordinary name, Chinese included', () => {
    expect(sanitizeUploadName('社区基本情况统计表_2023.csv')).toBe('社区基本情况统计表_2023.csv');
    expect(sanitizeUploadName('Book 1 (final).xlsx')).toBe('Book 1 (final).xlsx');
  });

  it('keeps only the last path segment, whichever separator the client used', () => {
    expect(sanitizeUploadName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeUploadName('C:\\Users\\王芳\\Desktop\\党员名册.xlsx')).toBe('党员名册.xlsx');
    expect(sanitizeUploadName('/tmp/')).toBe('upload');
  });

  it('never yields a dot name, a hidden file or an empty name', () => {
    expect(sanitizeUploadName('..')).toBe('upload');
    expect(sanitizeUploadName('.')).toBe('upload');
    expect(sanitizeUploadName('.bashrc')).toBe('bashrc');
    expect(sanitizeUploadName(' . .env')).toBe('env');
    expect(sanitizeUploadName('')).toBe('upload');
    expect(sanitizeUploadName(undefined)).toBe('upload');
  });

  it('drops control and invisible characters and replaces reserved ones', () => {
    expect(sanitizeUploadName('a\u0000b\r\n\tc.csv')).toBe('abc.csv');
    expect(sanitizeUploadName('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(sanitizeUploadName('what?<x>|"y":*.csv')).toBe('what__x___y___.csv');
  });

  it('shortens a long name to 200 bytes of UTF-8 without splitting a character, keeping the extension', () => {
    const name = sanitizeUploadName(`${'社'.repeat(100)}.xlsx`);
    expect(name.endsWith('.xlsx')).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    expect(name).toBe(`${'社'.repeat(65)}.xlsx`);
  });
});

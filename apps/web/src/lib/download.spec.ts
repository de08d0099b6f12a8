import { fileNameOf } from './download';

describe('fileNameOf', () => {
  it('prefers the UTF-8 name to the ASCII one', () => {
    const header = `attachment; filename="structure-150105.xlsx"; filename*=UTF-8''${encodeURIComponent('组织体系统计表-structure-150105.xlsx')}`;
    expect(fileNameOf(header)).toBe('组织体系统计表-structure-150105.xlsx');
  });

  it('falls back to the plain name, quoted or not, and to null', () => {
    expect(fileNameOf('attachment; filename="a.csv"')).toBe('a.csv');
    expect(fileNameOf('attachment; filename=b.csv')).toBe('b.csv');
    expect(fileNameOf(`attachment; filename="c.csv"; filename*=UTF-8''%E0%A4`)).toBe('c.csv');
    expect(fileNameOf('inline')).toBeNull();
    expect(fileNameOf(null)).toBeNull();
  });
});

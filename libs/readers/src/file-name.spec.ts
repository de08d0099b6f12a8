import { displayFileName, maskFileName } from './file-name';

describe('maskFileName', () => {
  it('masks an ID number, a mobile or a landline in a file name', () => {
    expect(maskFileName('王芳150105198503121234.xlsx')).toBe('王芳******************.xlsx');
    expect(maskFileName('11010519491231002X的材料.csv')).toBe('******************的材料.csv');
    expect(maskFileName('联系人 139-1234-5678.csv')).toBe('联系人 ***-****-****.csv');
    expect(maskFileName('0471 6612345 名册.csv')).toBe('**** ******* 名册.csv');
    expect(displayFileName('/data/inbox/13912345678.csv')).toBe('***********.csv');
  });

  it('keeps short numbers, dates and the rest of the name', () => {
    for (const name of ['社区基本情况统计表_2023.csv', '党员名册20231201.xlsx', '党员名册2023-12-01.xlsx', '第3网格 12号楼.xlsx', 'Book 1 (final).xlsx']) {
      expect(maskFileName(name)).toBe(name);
    }
  });

  it('masks an eight-digit run that is no date', () => {
    expect(maskFileName('座机66123456.csv')).toBe('座机********.csv');
  });
});

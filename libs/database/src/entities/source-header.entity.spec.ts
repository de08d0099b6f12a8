import { rawRow } from './source-header.entity';

describe('rawRow', () => {
  it('names each cell by its header, leaving out empty cells', () => {
    expect(rawRow(['姓名', '身份证号', '备注'], ['张伟', '150105************', null])).toEqual({ 姓名: '张伟', 身份证号: '150105************' });
    expect(rawRow(['姓名', '备注'], ['张伟', ''])).toEqual({ 姓名: '张伟' });
  });

  it('names cells past the header, under an empty header or under a header already used by their column number', () => {
    expect(rawRow(['备注', '', '备注'], ['a', 'b', 'c', 'd'])).toEqual({ 备注: 'a', 'column 2': 'b', '备注 (column 3)': 'c', 'column 4': 'd' });
  });

  it('reads a row without a header, and no row at all', () => {
    expect(rawRow(null, ['x'])).toEqual({ 'column 1': 'x' });
    expect(rawRow(['a'], null)).toEqual({});
  });

  it('keeps a header that is a property of every object as an ordinary name', () => {
    expect(rawRow(['constructor', '__proto__'], ['1', '2'])).toEqual(JSON.parse('{"constructor":"1","__proto__":"2"}'));
  });
});

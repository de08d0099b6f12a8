import { MergedDownFill, parseRangeRef } from './merged-cells';

describe('parseRangeRef', () => {
  it('reads A1 ranges and single cells, in either corner order', () => {
    expect(parseRangeRef('A5:B14')).toEqual({ top: 5, bottom: 14, left: 0, right: 1 });
    expect(parseRangeRef('$AA$3:$Z$1')).toEqual({ top: 1, bottom: 3, left: 25, right: 26 });
    expect(parseRangeRef('C7')).toEqual({ top: 7, bottom: 7, left: 2, right: 2 });
    expect(parseRangeRef('R1C1')).toBeNull();
  });
});

describe('MergedDownFill', () => {
  it('gives a value merged down to every row of the range, in its first column', () => {
    const fill = new MergedDownFill([{ top: 3, bottom: 5, left: 0, right: 1 }]);
    expect(fill.apply(3, ['兴康社区', null, '张三'])).toEqual(['兴康社区', null, '张三']);
    expect(fill.apply(4, [null, null, '李四'])).toEqual(['兴康社区', null, '李四']);
    expect(fill.apply(5, [])).toEqual(['兴康社区']);
    expect(fill.apply(6, [null, null, '王五'])).toEqual([null, null, '王五']);
  });

  it('leaves ranges within one row alone: a title stays one cell', () => {
    const fill = new MergedDownFill([{ top: 1, bottom: 1, left: 0, right: 5 }]);
    expect(fill.apply(1, ['兴康社区党员花名册'])).toEqual(['兴康社区党员花名册']);
    expect(fill.apply(2, ['序号', '姓名'])).toEqual(['序号', '姓名']);
  });

  it('carries nothing when the top row is absent or empty, and never overwrites a value', () => {
    const fill = new MergedDownFill([
      { top: 2, bottom: 4, left: 1, right: 1 },
      { top: 5, bottom: 7, left: 0, right: 0 },
      { top: 8, bottom: 9, left: 0, right: 0 },
    ]);
    expect(fill.apply(3, ['a', null])).toEqual(['a', null]); // row 2 absent from the file
    expect(fill.apply(5, ['网格一'])).toEqual(['网格一']);
    expect(fill.apply(6, ['网格二'])).toEqual(['网格二']);
    expect(fill.apply(7, [null, 'x'])).toEqual(['网格一', 'x']);
    expect(fill.apply(8, [null, 'y'])).toEqual([null, 'y']);
    expect(fill.apply(9, [null, 'z'])).toEqual([null, 'z']);
  });
});

import { parseBuilding } from './building';

describe('parseBuilding', () => {
  it.each([
    '10号楼',
    '10#',
    '10#楼',
    '10栋',
    '十号楼',
    '10幢',
    '10号',
    '10楼',
    '第10栋',
    '010',
    10,
    ' 10 号楼 ',
    '１０＃',
  ])('%p is building 10', (cell) => {
    expect(parseBuilding(cell)).toEqual({ ok: true, value: { key: '10', label: '10号楼' } });
  });

  it('keeps lettered blocks as 座', () => {
    expect(parseBuilding('A座')).toEqual({ ok: true, value: { key: 'A', label: 'A座' } });
    expect(parseBuilding('b座')).toEqual({ ok: true, value: { key: 'B', label: 'B座' } });
  });

  it('keeps sub-numbered and lettered building numbers', () => {
    expect(parseBuilding('3-2号楼')).toEqual({ ok: true, value: { key: '3-2', label: '3-2号楼' } });
    expect(parseBuilding('3—2号楼')).toEqual({ ok: true, value: { key: '3-2', label: '3-2号楼' } });
    expect(parseBuilding('10A栋')).toEqual({ ok: true, value: { key: '10A', label: '10A号楼' } });
  });

  it('reads Chinese numerals beyond ten', () => {
    expect(parseBuilding('二十三号楼')).toEqual({ ok: true, value: { key: '23', label: '23号楼' } });
  });

  it.each(['楼', 'abc楼', '0号楼', '小区'])('rejects %s', (cell) => {
    expect(parseBuilding(cell)).toEqual({ ok: false, reason: expect.stringContaining(cell) });
  });
});

import { buildingKey, buildingNumber, parseBuildingNumber } from './building';

describe('parseBuildingNumber', () => {
  it.each(['10号楼', '10#', '10#楼', '10栋', '十号楼', '10幢', '10号', '10楼', '010', '第10栋', '１０号楼', ' 10 号楼 ', '10-号楼', '10_栋', '第十栋', '10号楼栋', '10（东）'])(
    '%s is building 10',
    (raw) => expect(parseBuildingNumber(raw)).toEqual({ key: '10', label: '10号楼' }),
  );

  // Numbers no list in the code holds: the rule reads any number in any of the spellings.
  it.each([7, 37, 108])('reads building %i in every spelling', (n) => {
    const chinese = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const cn = n < 10 ? chinese[n] : n < 100 ? `${chinese[Math.floor(n / 10)]}十${chinese[n % 10]}` : `一百零${chinese[n % 10]}`;
    const wide = String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    for (const raw of [`第${n}栋`, `${n}-号楼`, `${wide}号楼`, `${n}号`, `${cn}号楼`, `${n}幢`, `${n}#`, `${n}栋`, `${n}号楼`, n, `0${n}`]) {
      expect({ raw, key: parseBuildingNumber(raw)?.key }).toEqual({ raw, key: String(n) });
    }
  });

  it('keeps letters, sub-numbers and lettered numbers', () => {
    expect(parseBuildingNumber('A座')).toEqual({ key: 'A', label: 'A座' });
    expect(parseBuildingNumber('b座')).toEqual({ key: 'B', label: 'B座' });
    expect(parseBuildingNumber('3-2号楼')).toEqual({ key: '3-2', label: '3-2号楼' });
    expect(parseBuildingNumber('3—2号楼')).toEqual({ key: '3-2', label: '3-2号楼' });
    expect(parseBuildingNumber('10A栋')).toEqual({ key: '10A', label: '10A号楼' });
    expect(parseBuildingNumber('二十三号楼')).toEqual({ key: '23', label: '23号楼' });
  });

  it.each(['10单元', '2单元', '综合楼', '楼', '0号楼', '小区', '', null])('%p names no building', (raw) => {
    expect(parseBuildingNumber(raw)).toBeNull();
  });
});

describe('buildingNumber', () => {
  it('reads the number part alone, whatever separator was typed after it', () => {
    expect(buildingNumber('10-')?.key).toBe('10');
    expect(buildingNumber('十二')?.key).toBe('12');
    expect(buildingNumber('3-2')?.key).toBe('3-2');
    expect(buildingNumber('单元')).toBeNull();
  });
});

describe('buildingKey', () => {
  it.each(['10号楼', '10#', '10#楼', '10栋', '十号楼', '10幢', '10号', '010', '第10栋', '１０号楼', ' 10 号楼 ', '10', '10-号楼'])(
    '%s → 10',
    (raw) => expect(buildingKey(raw)).toBe('10'),
  );

  it('reads numbers given as numbers, and letters', () => {
    expect(buildingKey(10)).toBe('10');
    expect(buildingKey('A座')).toBe('A');
    expect(buildingKey('a座')).toBe('A');
    expect(buildingKey('2B栋')).toBe('2B');
    expect(buildingKey('十二号楼')).toBe('12');
  });

  it('reads the building out of an address', () => {
    expect(buildingKey('航苑小区8号楼2单元501')).toBe('8');
    expect(buildingKey('丰州路85号院10号楼')).toBe('10');
    expect(buildingKey('园林佳苑6#1单元202')).toBe('6');
    expect(buildingKey('百合公寓3栋')).toBe('3');
    expect(buildingKey('百合公寓3-2号楼')).toBe('3-2');
    expect(buildingKey('百合公寓41-号楼')).toBe('41');
  });

  it('keeps different buildings apart, and a unit is not a building', () => {
    expect(buildingKey('1号楼')).not.toBe(buildingKey('10号楼'));
    expect(buildingKey('A座')).not.toBe(buildingKey('B座'));
    expect(buildingKey('10单元')).not.toBe(buildingKey('10号楼'));
  });

  it('returns other text compacted, and empty for empty input', () => {
    expect(buildingKey('综合楼')).toBe('综合楼');
    expect(buildingKey('')).toBe('');
    expect(buildingKey(null)).toBe('');
  });

  it('is idempotent', () => {
    for (const raw of ['十号楼', 'A座', '综合楼', '2B栋', '航苑小区8号楼', '3-2号楼']) {
      const k = buildingKey(raw);
      expect(buildingKey(k)).toBe(k);
    }
  });
});

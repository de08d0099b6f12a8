import { buildingKey } from './building';

describe('buildingKey', () => {
  it.each(['10号楼', '10#', '10#楼', '10栋', '十号楼', '10幢', '10号', '010', '第10栋', '１０号楼', ' 10 号楼 ', '10'])(
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
  });

  it('keeps different buildings apart', () => {
    expect(buildingKey('1号楼')).not.toBe(buildingKey('10号楼'));
    expect(buildingKey('A座')).not.toBe(buildingKey('B座'));
  });

  it('returns other text compacted, and empty for empty input', () => {
    expect(buildingKey('综合楼')).toBe('综合楼');
    expect(buildingKey('')).toBe('');
    expect(buildingKey(null)).toBe('');
  });

  it('is idempotent', () => {
    for (const raw of ['十号楼', 'A座', '综合楼', '2B栋', '航苑小区8号楼']) {
      const k = buildingKey(raw);
      expect(buildingKey(k)).toBe(k);
    }
  });
});

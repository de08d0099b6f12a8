import { compoundNameKey } from './compound-name';

describe('compoundNameKey', () => {
  it.each(['航苑小区', '航苑', '航苑小区（老缸房街12号）', '新城区航苑小区', ' 航苑 小区 '])('%s → 航苑', (raw) =>
    expect(compoundNameKey(raw)).toBe('航苑'),
  );

  it('keeps words that are part of the name', () => {
    expect(compoundNameKey('建设嘉园')).toBe('建设嘉园');
    expect(compoundNameKey('富丽家园')).toBe('富丽家园');
    expect(compoundNameKey('安居新村')).toBe('安居新村');
  });

  it('keeps address-named compounds, with or without 院', () => {
    expect(compoundNameKey('老缸房街12号')).toBe('老缸房街12号');
    expect(compoundNameKey('丰州路85号院')).toBe(compoundNameKey('丰州路85号'));
  });

  it('keeps distinct compounds apart', () => {
    expect(compoundNameKey('富丽家园')).not.toBe(compoundNameKey('富丽花园'));
    expect(compoundNameKey('工大小区')).not.toBe(compoundNameKey('工大新村'));
    expect(compoundNameKey('建设小区')).not.toBe(compoundNameKey('建设嘉园'));
  });

  it('never strips a name down to nothing', () => {
    expect(compoundNameKey('小区')).toBe('小区');
    expect(compoundNameKey('A小区')).toBe('A小区');
    expect(compoundNameKey(null)).toBe('');
  });

  it('is idempotent', () => {
    for (const raw of ['航苑小区社区', '丰州路85号院', '建设嘉园', '小区', '（老缸房街12号）']) {
      const k = compoundNameKey(raw);
      expect(compoundNameKey(k)).toBe(k);
    }
  });
});

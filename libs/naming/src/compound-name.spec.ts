import { compoundNameKey, compoundNamesMeet, formerCompoundKeys, readCompoundName } from './compound-name';

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

describe('formerCompoundKeys', () => {
  it('reads former names given in brackets', () => {
    expect(formerCompoundKeys('航苑小区（原老缸房小区）')).toEqual(['老缸房']);
    expect(formerCompoundKeys('惠和家园(原名:供销社家属院)')).toEqual(['供销社']);
    expect(formerCompoundKeys('航苑小区（曾用名 东街宿舍）')).toEqual(['东街宿舍']);
  });

  it('takes an address in brackets for no former name', () => {
    expect(formerCompoundKeys('航苑小区（老缸房街12号）')).toEqual([]);
    expect(formerCompoundKeys('航苑小区')).toEqual([]);
  });
});

describe('compoundNamesMeet', () => {
  const meet = (a: string, b: string) => compoundNamesMeet(readCompoundName(a), readCompoundName(b));

  it('meets the same compound written with or without 小区, prefixes or an address', () => {
    expect(meet('航苑小区', '赛罕区航苑')).toBe('same');
    expect(meet('航苑小区（老缸房街12号）', '航苑')).toBe('same');
  });

  // Names no list in the code holds: the rule is about the kind word, whatever precedes it.
  it.each([['青松花园', '青松'], ['鹿鸣家园', '鹿鸣'], ['栖霞苑', '栖霞'], ['晨曦嘉园', '晨曦'], ['临河公寓', '临河']])(
    '%s and a bare %s may be one compound',
    (full, bare) => {
      expect(meet(full, bare)).toBe('bare');
      expect(meet(bare, full)).toBe('bare');
    },
  );

  it('keeps two kind words apart, and a bare name that is only one or two characters', () => {
    expect(meet('富丽家园', '富丽花园')).toBeNull();
    expect(meet('幸福小区', '幸福家园')).toBeNull();
    expect(meet('航苑', '航')).toBeNull();
    expect(meet('青松花园', '青柏')).toBeNull();
  });

  it('meets a current name and a former one', () => {
    expect(meet('航苑小区（原老缸房小区）', '老缸房小区')).toBe('same');
    expect(meet('老缸房', '航苑小区(原老缸房小区)')).toBe('same');
  });
});

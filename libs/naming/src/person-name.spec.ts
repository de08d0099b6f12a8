import { foldSyllable, nameSimilarity, namesMayBeOnePerson, namesShareACharacter, normalizePersonName, personNameKeys } from './person-name';

describe('normalizePersonName', () => {
  it.each(['乌云·其其格', '乌云•其其格', '乌云.其其格', '乌云 其其格', '乌云・其其格', '乌云　其其格', ' 乌云其其格 '])(
    '%s → 乌云其其格',
    (raw) => expect(normalizePersonName(raw)).toBe('乌云其其格'),
  );

  it('folds full-width spaces, traditional characters, notes and disambiguating digits', () => {
    expect(normalizePersonName('李　宇')).toBe('李宇');
    expect(normalizePersonName('烏雲其其格')).toBe('乌云其其格');
    expect(normalizePersonName('杨丽君（已故）')).toBe('杨丽君');
    expect(normalizePersonName('张伟2')).toBe('张伟');
    expect(normalizePersonName('Wang Wei')).toBe('wangwei');
  });

  it('is total and idempotent', () => {
    for (const raw of [null, undefined, '', '   ', '·', '（）', '乌云·其其格', '阿依古丽·买买提']) {
      const once = normalizePersonName(raw);
      expect(normalizePersonName(once)).toBe(once);
    }
    expect(normalizePersonName(null)).toBe('');
  });
});

describe('personNameKeys', () => {
  it('gives the exact spelling and toneless pinyin', () => {
    expect(personNameKeys('额尔敦·巴特尔')).toEqual({
      exact: '额尔敦巴特尔',
      pinyin: 'e er dun ba te er',
      phonetic: 'e er dun ba te er',
    });
  });

  it.each([
    ['额尔敦', '额尔顿'],
    ['巴雅尔', '巴雅儿'],
    ['其其格', '奇其格'],
    ['乌云其其格', '乌云·奇其格'],
    ['斯琴', '斯庆'], // in/ing
    ['巴根', '巴更'], // en/eng
    ['宝音', '宝英'],
    ['格日勒图', '格尔勒图'], // Mongolian r written 日 or 尔
    ['苏日娜', '苏尔娜'],
    ['张伟', '张卫'], // homophones: expected, the matcher weighs this with other evidence
  ])('%s and %s share the phonetic key', (a, b) => {
    expect(personNameKeys(a).phonetic).toBe(personNameKeys(b).phonetic);
    expect(personNameKeys(a).exact).not.toBe(personNameKeys(b).exact);
  });

  it.each([
    ['周伟', '邹伟'], // zh/z not folded
    ['陈刚', '程刚'], // surname syllable never folded
    ['李娜', '倪娜'], // l/n not folded
    ['张伟', '王伟'],
    ['乌云其其格', '乌云高娃'],
    ['额尔敦', '敖登'],
  ])('%s and %s keep different phonetic keys', (a, b) => {
    expect(personNameKeys(a).phonetic).not.toBe(personNameKeys(b).phonetic);
  });

  it('returns empty keys for empty input', () => {
    expect(personNameKeys('  ')).toEqual({ exact: '', pinyin: '', phonetic: '' });
  });

  it('folds only from the second syllable', () => {
    expect(foldSyllable('cheng', 0)).toBe('cheng');
    expect(foldSyllable('cheng', 1)).toBe('chen');
    expect(foldSyllable('ying', 2)).toBe('yin');
    expect(foldSyllable('ri', 1)).toBe('er');
    expect(foldSyllable('ri', 0)).toBe('ri');
  });
});

describe('nameSimilarity', () => {
  it('is 1 for the same name written differently', () => {
    expect(nameSimilarity('乌云·其其格', '乌云其其格')).toBe(1);
    expect(nameSimilarity('李　宇', '李宇')).toBe(1);
  });

  it('scores homophones high but below identical names', () => {
    expect(nameSimilarity('张伟', '张卫')).toBeCloseTo(0.95, 5);
    expect(nameSimilarity('额尔敦巴特尔', '额尔顿巴特尔')).toBeGreaterThanOrEqual(0.95);
  });

  it('uses characters when pinyin does not help', () => {
    // One character of five differs and is not a homophone.
    const s = nameSimilarity('乌云其其格', '乌云其木格');
    expect(s).toBeGreaterThan(0.85);
    expect(s).toBeLessThan(0.95);
  });

  it('ranks a near variant above an unrelated name', () => {
    expect(nameSimilarity('宝音图雅', '宝音图')).toBeGreaterThan(nameSimilarity('宝音图雅', '刘秀兰'));
    expect(nameSimilarity('张伟', '王芳')).toBe(0);
  });

  it('is symmetric, bounded and 0 for empty input', () => {
    const pairs: Array<[string, string]> = [['苏日巴雅尔', '苏尔巴雅儿'], ['刘晨', '刘辰'], ['a', '张']];
    for (const [a, b] of pairs) {
      const s = nameSimilarity(a, b);
      expect(s).toBe(nameSimilarity(b, a));
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(nameSimilarity('', '张伟')).toBe(0);
    expect(nameSimilarity(null, undefined)).toBe(0);
  });
});

// Names made up for these tests, drawn from no list the product ships.
describe('namesMayBeOnePerson', () => {
  it.each([
    ['欧阳 明轩', '欧阳明轩', 'spacing'],
    ['龔瑞東', '龚瑞东', 'traditional and simplified'],
    ['龚睿哲', '龚睿喆', 'a homophone'],
    ['邬思辰', '邬思晨', 'a homophone'],
    ['敖登格日乐', '敖登格尔乐', 'the Mongolian r written 日 or 尔'],
    ['吉日嘎拉', '吉日格勒', 'a transliteration: every syllable starts alike'],
    ['宝音', '宝音图', 'a spelling: one character more'],
  ])('%s and %s can be one person (%s)', (a, b) => {
    expect(namesMayBeOnePerson(a, b)).toBe(true);
    expect(namesMayBeOnePerson(b, a)).toBe(true);
  });

  it.each([
    ['郑爽', '张伟'],
    ['骆思远', '鞠晓晴'],
    ['邬思辰', '龙宇航'],
    ['钱卓', '钱恺'],
  ])('%s and %s share nothing that makes them one person', (a, b) => {
    expect(namesMayBeOnePerson(a, b)).toBe(false);
  });

  it('never takes a missing name for anyone', () => {
    expect(namesMayBeOnePerson('', '郑爽')).toBe(false);
    expect(namesMayBeOnePerson(null, null)).toBe(false);
  });
});

describe('namesShareACharacter', () => {
  it.each([
    ['朝鲁', '朝洛', true],
    ['巴图 ', '巴特尔', true],
    ['郑爽', '孙强', false],
    ['', '孙强', false],
  ])('%s / %s → %s', (a, b, expected) => {
    expect(namesShareACharacter(a, b)).toBe(expected);
  });
});

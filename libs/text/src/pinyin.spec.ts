import { namePinyin } from './pinyin';

describe('namePinyin', () => {
  it('gives toneless lowercase syllables separated by spaces', () => {
    expect(namePinyin('张三')).toBe('zhang san');
    expect(namePinyin('巴特尔')).toBe('ba te er');
  });

  it('uses surname readings for the leading character', () => {
    expect(namePinyin('单雄信')).toBe('shan xiong xin');
    expect(namePinyin('曾小贤')).toBe('zeng xiao xian');
    expect(namePinyin('朴树')).toBe('piao shu');
  });

  it('simplifies traditional input so surname readings still apply', () => {
    expect(namePinyin('單雄信')).toBe('shan xiong xin');
  });

  it('writes ü as v', () => {
    expect(namePinyin('吕布')).toBe('lv bu');
  });

  it('treats punctuation as word breaks and keeps non-Han text lowercased', () => {
    expect(namePinyin('阿依古丽·买买提')).toBe('a yi gu li mai mai ti');
    expect(namePinyin('Anna 李')).toBe('anna li');
    expect(namePinyin('李Ａ')).toBe('li a');
  });

  it('returns an empty string for blank input', () => {
    expect(namePinyin('  ')).toBe('');
  });
});

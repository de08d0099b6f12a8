import { toHalfWidth } from './width';

describe('toHalfWidth', () => {
  it('maps full-width digits, letters and punctuation to ASCII', () => {
    expect(toHalfWidth('１５０１０５１９８５０３１２１２３Ｘ')).toBe('15010519850312123X');
    expect(toHalfWidth('１０＃楼（Ａ座）')).toBe('10#楼(A座)');
    expect(toHalfWidth('～！')).toBe('~!');
  });

  it('turns the ideographic space into an ASCII space', () => {
    expect(toHalfWidth('张　三')).toBe('张 三');
  });

  it('leaves Han text and CJK-block punctuation alone (the full-width comma is ASCII-range)', () => {
    expect(toHalfWidth('兴康社区，第一网格。')).toBe('兴康社区,第一网格。');
    expect(toHalfWidth('《党章》、')).toBe('《党章》、');
    expect(toHalfWidth('航苑小区')).toBe('航苑小区');
  });
});

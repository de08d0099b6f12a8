import { displayWidth, wrappedLines } from './text-width';

describe('displayWidth', () => {
  it('counts a CJK character or full-width form as two columns and anything else as one', () => {
    expect(displayWidth('abc 123')).toBe(7);
    expect(displayWidth('兴康社区')).toBe(8);
    expect(displayWidth('中共兴康社区（第一）支部委员会 2')).toBe(32);
    expect(displayWidth('𠀀a')).toBe(3);
  });
});

describe('wrappedLines', () => {
  it('counts the lines a text wraps into in a column, one at least', () => {
    expect(wrappedLines('', 10)).toBe(1);
    expect(wrappedLines('兴康社区', 10)).toBe(1);
    expect(wrappedLines('中共呼和浩特市赛罕区人民路街道兴康社区第一网格党支部', 30)).toBe(2);
    expect(wrappedLines('一行\n二行', 30)).toBe(2);
  });
});

import { parseChineseNumber } from './chinese-number';

describe('parseChineseNumber', () => {
  it.each([
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十三', 23],
    ['一百零五', 105],
    ['两', 2],
    ['〇', 0],
    ['零', 0],
    ['三千零二十', 3020],
    ['二十万', 200_000],
    ['五万三千', 53_000],
    ['拾贰', 12],
  ])('parses %s as %d', (text, value) => {
    expect(parseChineseNumber(text)).toBe(value);
  });

  it('reads the spoken form that drops the last unit', () => {
    expect(parseChineseNumber('一百五')).toBe(150);
    expect(parseChineseNumber('两千三')).toBe(2300);
    expect(parseChineseNumber('一万五')).toBe(15_000);
  });

  it('reads digit-by-digit years', () => {
    expect(parseChineseNumber('二〇二三')).toBe(2023);
    expect(parseChineseNumber('一九八五')).toBe(1985);
  });

  it('accepts arabic and full-width digits, trimming spaces', () => {
    expect(parseChineseNumber('12')).toBe(12);
    expect(parseChineseNumber('１２')).toBe(12);
    expect(parseChineseNumber(' 0471 ')).toBe(471);
  });

  it.each(['', '  ', 'abc', '十十', '百', '一百十', '二三十', '12户', '1.5', '-3', '万万'])(
    'returns null for %j',
    (text) => {
      expect(parseChineseNumber(text)).toBeNull();
    },
  );
});

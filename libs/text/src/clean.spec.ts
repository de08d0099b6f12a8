import { cleanText, stripPunctuation } from './clean';

describe('cleanText', () => {
  it('returns an empty string for null and undefined', () => {
    expect(cleanText(null)).toBe('');
    expect(cleanText(undefined)).toBe('');
  });

  it('removes BOM, zero-width characters and soft hyphens', () => {
    expect(cleanText('\ufeff姓名')).toBe('姓名');
    expect(cleanText('张\u200b三\u200d')).toBe('张三');
    expect(cleanText('兴\u00ad康')).toBe('兴康');
  });

  it('collapses NBSP, tabs, newlines and ideographic spaces to one space and trims', () => {
    expect(cleanText('  兴康小区\u00a0\u00a010栋\t2单元\r\n302室　')).toBe('兴康小区 10栋 2单元 302室');
  });

  it('converts full-width characters', () => {
    expect(cleanText('０４７１－１２３４５６７')).toBe('0471-1234567');
  });
});

describe('stripPunctuation', () => {
  it('removes Chinese and ASCII punctuation and symbols by default', () => {
    expect(stripPunctuation('日富物业（呼和浩特）有限公司。')).toBe('日富物业呼和浩特有限公司');
    expect(stripPunctuation('10#楼')).toBe('10楼');
  });

  it('can keep word breaks by replacing with a space', () => {
    expect(stripPunctuation('阿依古丽·买买提', ' ')).toBe('阿依古丽 买买提');
    expect(stripPunctuation('A--B', ' ')).toBe('A B');
  });
});

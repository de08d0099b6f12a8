import { damagedKeyPattern, isDamaged } from './damaged-text';

describe('keys damaged by mis-decoding', () => {
  it('lets each run of replacement characters stand for one or two lost characters', () => {
    const pattern = damagedKeyPattern('\uFFFD\uFFFD顺店');
    expect(isDamaged('\uFFFD\uFFFD顺店')).toBe(true);
    expect(pattern.test('三顺店')).toBe(true);
    expect(pattern.test('三顺店/g1')).toBe(false);
    expect(pattern.test('顺店')).toBe(false);
    expect(damagedKeyPattern('a.b\uFFFD').test('axbc')).toBe(false);
  });
});

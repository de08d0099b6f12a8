import { corruptCheck, from15, isValidCitizenId, isValidUscc, maskId, toLegacy15, usccCheckChar } from './checks';
import { Rng } from './rng';

describe('check characters', () => {
  it('accepts the standard examples of GB 11643', () => {
    expect(isValidCitizenId('11010519491231002X')).toBe(true);
    expect(isValidCitizenId('440524188001010014')).toBe(true);
    expect(isValidCitizenId('440524188001010015')).toBe(false);
    expect(isValidCitizenId(corruptCheck('11010519491231002X'))).toBe(false);
  });

  it('converts between 15 and 18 digits', () => {
    expect(from15('441900890101221')).toBe('441900198901012219');
    expect(toLegacy15('441900198901012219')).toBe('441900890101221');
    expect(maskId('15010519850312123X')).toBe('150105********123X');
  });

  it('accepts the standard example of GB 32100', () => {
    expect(isValidUscc('91110108551385082Q')).toBe(true);
    expect(usccCheckChar('91110108551385082')).toBe('Q');
    expect(isValidUscc('91110108551385082R')).toBe(false);
    expect(isValidUscc('91110108551385O82Q')).toBe(false);
  });

  it('seeded generator repeats itself', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
  });
});

import { jaroWinkler } from './similarity';

const chars = (s: string) => Array.from(s);

describe('jaroWinkler', () => {
  it('matches the textbook values', () => {
    expect(jaroWinkler(chars('MARTHA'), chars('MARHTA'))).toBeCloseTo(0.961, 3);
    expect(jaroWinkler(chars('DWAYNE'), chars('DUANE'))).toBeCloseTo(0.84, 2);
    expect(jaroWinkler(chars('DIXON'), chars('DICKSONX'))).toBeCloseTo(0.813, 3);
  });

  it('works on syllable tokens', () => {
    expect(jaroWinkler(['zhang', 'wei'], ['zhang', 'wei'])).toBe(1);
    expect(jaroWinkler(['zhang', 'wei'], ['wang', 'wei'])).toBeCloseTo(2 / 3, 5);
  });

  it('is 0 for empty or disjoint input', () => {
    expect(jaroWinkler([], ['a'])).toBe(0);
    expect(jaroWinkler(['a'], ['b'])).toBe(0);
  });
});

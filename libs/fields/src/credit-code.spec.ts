import { reasonText } from '@qc/reasons';
import { creditCodeCheckChar, parseCreditCode } from './credit-code';

describe('creditCodeCheckChar', () => {
  it('computes the GB 32100 check character', () => {
    expect(creditCodeCheckChar('91110108551385082')).toBe('Q');
    expect(creditCodeCheckChar('91150100701465636')).toBe('E');
  });
});

describe('parseCreditCode', () => {
  it('accepts a code whose check character is right', () => {
    expect(parseCreditCode('91110108551385082Q')).toEqual({ ok: true, value: '91110108551385082Q' });
  });

  it('normalises case, spaces and full-width characters', () => {
    expect(parseCreditCode(' 9111 0108 5513 8508 2q ')).toEqual({ ok: true, value: '91110108551385082Q' });
    expect(parseCreditCode('９１１１０１０８５５１３８５０８２Ｑ')).toEqual({
      ok: true,
      value: '91110108551385082Q',
    });
  });

  it('warns instead of rejecting when the check character is wrong', () => {
    expect(parseCreditCode('91110108551385082R')).toEqual({
      ok: true,
      value: '91110108551385082R',
      flags: ['check-failed'],
    });
  });

  it('rejects a wrong length', () => {
    const r = parseCreditCode('91110108551385082');
    expect(!r.ok && reasonText(r.reason)).toMatch(/18/);
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the excluded letter %s', (letter) => {
    const r = parseCreditCode(`9111010855138508${letter}Q`);
    expect(r.ok).toBe(false);
    expect(!r.ok && reasonText(r.reason)).toContain(letter);
  });

  it('marks blank cells', () => {
    expect(parseCreditCode('')).toMatchObject({ ok: false, blank: true });
  });
});

import { because } from '@qc/reasons';
import { isInCity, levelOfCode, parentOfCode, parseDivisionCode } from './division-code';

describe('division codes', () => {
  it('reads the 12-digit code and its significant prefixes', () => {
    expect(parseDivisionCode('150105')).toEqual({ ok: true, code: '150105000000' });
    expect(parseDivisionCode('150105000000')).toEqual({ ok: true, code: '150105000000' });
    expect(parseDivisionCode('150105001')).toEqual({ ok: true, code: '150105001000' });
    expect(parseDivisionCode('1501')).toEqual({ ok: true, code: '150100000000' });
  });

  it('explains a code it cannot read', () => {
    expect(parseDivisionCode('15010')).toEqual({ ok: false, reason: because('division-code-length', { input: '15010' }) });
    expect(parseDivisionCode("1501' OR 1=1")).toMatchObject({ ok: false, reason: { code: 'division-code-not-digits' } });
  });

  it('knows levels and parents', () => {
    expect(levelOfCode('150105001019')).toBe('community');
    expect(levelOfCode('150105001000')).toBe('street');
    expect(levelOfCode('150105000000')).toBe('district');
    expect(parentOfCode('150105001019')).toBe('150105001000');
    expect(parentOfCode('150105001000')).toBe('150105000000');
    expect(parentOfCode('150105000000')).toBe('150100000000');
    expect(isInCity('150105001019')).toBe(true);
    expect(isInCity('110105001019')).toBe(false);
  });
});

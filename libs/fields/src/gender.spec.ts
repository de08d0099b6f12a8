import { because } from '@qc/reasons';
import { parseGender } from './gender';

describe('parseGender', () => {
  it.each([
    ['男', 'M'],
    ['男性', 'M'],
    ['1', 'M'],
    [1, 'M'],
    ['M', 'M'],
    ['m', 'M'],
    ['女', 'F'],
    ['女性', 'F'],
    ['2', 'F'],
    [2, 'F'],
    ['F', 'F'],
    [' 女 ', 'F'],
  ])('%p → %s', (cell, sex) => {
    expect(parseGender(cell)).toEqual({ ok: true, value: sex });
  });

  it('maps GB/T 2261.1 unknown (0) and unspecified (9) to null', () => {
    expect(parseGender('0')).toEqual({ ok: true, value: null });
    expect(parseGender(9)).toEqual({ ok: true, value: null });
  });

  it('rejects other values with a reason and marks blanks', () => {
    expect(parseGender('3')).toEqual({ ok: false, reason: because('gender-unrecognised', { value: '3' }) });
    expect(parseGender('')).toMatchObject({ ok: false, blank: true });
  });
});

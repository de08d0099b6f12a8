import { reasonText } from '@qc/reasons';
import { parseCount, parseShare } from './number';

describe('parseCount', () => {
  it.each([
    [12, 12],
    [12.0, 12],
    ['12', 12],
    ['1,234', 1234],
    ['2,758户', 2758],
    ['１２', 12],
    ['12户', 12],
    ['十二户', 12],
    ['共35个', 35],
    ['1.2万', 12_000],
    [0, 0],
  ])('%p → %d', (cell, n) => {
    expect(parseCount(cell)).toEqual({ ok: true, value: n });
  });

  it.each([
    ['约120', 120],
    ['7000余人', 7000],
    ['7,000多', 7000],
    ['200人左右', 200],
    ['近50户', 50],
  ])('%s is approximately %d', (cell, n) => {
    expect(parseCount(cell)).toEqual({ ok: true, value: n, flags: ['approximate'] });
  });

  it.each([[12.5], [-3], ['-3'], ['1,23'], ['abc'], ['12.5户']])('rejects %p with a reason', (cell) => {
    const r = parseCount(cell);
    expect(r.ok).toBe(false);
    expect(!r.ok && reasonText(r.reason)).toBeTruthy();
  });
});

describe('parseShare', () => {
  it('reads a percentage string as a fraction without float noise', () => {
    expect(parseShare('24.57%')).toEqual({ ok: true, value: 0.2457 });
    expect(parseShare('２４.５７％')).toEqual({ ok: true, value: 0.2457 });
    expect(parseShare('100%')).toEqual({ ok: true, value: 1 });
  });

  it('keeps a fraction as is', () => {
    expect(parseShare(0.2457)).toEqual({ ok: true, value: 0.2457 });
    expect(parseShare('0.5')).toEqual({ ok: true, value: 0.5 });
  });

  it('reads a bare number above 1 as percent, flagged', () => {
    expect(parseShare(24.57)).toEqual({ ok: true, value: 0.2457, flags: ['assumed-percent'] });
  });

  it('rejects shares above 100% and non-numbers', () => {
    expect(parseShare('150%').ok).toBe(false);
    expect(parseShare(150).ok).toBe(false);
    expect(parseShare('约25%').ok).toBe(false);
    expect(parseShare(-0.1).ok).toBe(false);
  });
});

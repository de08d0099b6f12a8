import { because } from '@qc/reasons';
import { cellText } from './result';

describe('cellText', () => {
  it('cleans strings and writes numbers as text', () => {
    expect(cellText('  兴康\u00a0社区 ')).toEqual({ ok: true, value: '兴康 社区' });
    expect(cellText(12)).toEqual({ ok: true, value: '12' });
  });

  it('marks null, undefined and whitespace-only cells as blank', () => {
    for (const cell of [null, undefined, '', ' \u3000 ']) {
      expect(cellText(cell)).toMatchObject({ ok: false, blank: true });
    }
  });

  it('refuses booleans and dates, which have no text form to parse', () => {
    expect(cellText(true)).toEqual({ ok: false, reason: because('unexpected-cell', { kind: 'boolean true' }) });
    expect(cellText(new Date())).toEqual({ ok: false, reason: because('unexpected-cell', { kind: 'date value' }) });
  });
});

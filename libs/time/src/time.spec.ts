import { formatPersonTime, hohhotDay, isoWithOffset, stringifyWithOffsets } from '.';

describe('Hohhot time', () => {
  // 16:30 UTC on 31 December is already half past midnight on 1 January in Hohhot.
  const lateUtc = new Date('2026-12-31T16:30:05.123Z');

  it('writes ISO 8601 with the +08:00 offset, the same moment as UTC', () => {
    expect(isoWithOffset(lateUtc)).toBe('2027-01-01T00:30:05.123+08:00');
    expect(new Date(isoWithOffset(lateUtc)).getTime()).toBe(lateUtc.getTime());
  });

  it('shows a person the wall clock in Hohhot, whatever the process time zone', () => {
    expect(formatPersonTime(lateUtc)).toBe('2027-01-01 00:30');
    expect(hohhotDay(lateUtc)).toBe('2027-01-01');
    expect(hohhotDay(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
  });

  it('writes every Date in a JSON body with the offset, nested or not, and leaves other values alone', () => {
    const body = JSON.parse(stringifyWithOffsets({ finishedAt: lateUtc, items: [{ at: lateUtc, n: 1, s: '2026-01-01' }], none: null }));
    expect(body).toEqual({ finishedAt: '2027-01-01T00:30:05.123+08:00', items: [{ at: '2027-01-01T00:30:05.123+08:00', n: 1, s: '2026-01-01' }], none: null });
  });
});

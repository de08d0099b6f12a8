import { reasonText } from '@qc/reasons';
import { parseDate } from './date';

const now = new Date('2025-06-01T00:00:00Z');
const parse = (cell: Parameters<typeof parseDate>[0]) => parseDate(cell, { now });
const iso = (cell: Parameters<typeof parseDate>[0]) => {
  const r = parse(cell);
  return r.ok ? `${r.value.iso}/${r.value.precision}` : `fail: ${reasonText(r.reason)}`;
};

describe('parseDate', () => {
  describe('text styles', () => {
    it.each([
      ['1985-03-12', '1985-03-12/day'],
      ['1985/3/12', '1985-03-12/day'],
      ['1985.3.12', '1985-03-12/day'],
      ['1985.03', '1985-03/month'],
      ['1985-3', '1985-03/month'],
      ['1985年3月', '1985-03/month'],
      ['1985年3月份', '1985-03/month'],
      ['1985年3月12日', '1985-03-12/day'],
      ['1985 年 03 月 12 日', '1985-03-12/day'],
      ['二〇一九年三月', '2019-03/month'],
      ['19850312', '1985-03-12/day'],
      ['198503', '1985-03/month'],
      ['1985', '1985/year'],
      ['１９８５－０３－１２', '1985-03-12/day'],
      ['1985-03-12 00:00:00', '1985-03-12/day'],
    ])('%s → %s', (text, expected) => {
      expect(iso(text)).toBe(expected);
    });

    it('returns the parts as numbers', () => {
      expect(parse('1985年3月12日')).toEqual({
        ok: true,
        value: { iso: '1985-03-12', precision: 'day', year: 1985, month: 3, day: 12 },
      });
    });

    it('reads an ISO timestamp with a zone as the day in Beijing', () => {
      expect(iso('1985-03-11T16:00:00.000Z')).toBe('1985-03-12/day');
    });
  });

  describe('two-digit years', () => {
    it('pivots on the current year', () => {
      expect(parse('85-3-12')).toEqual({
        ok: true,
        value: { iso: '1985-03-12', precision: 'day', year: 1985, month: 3, day: 12 },
        flags: ['two-digit-year'],
      });
      expect(iso('25-3-12')).toBe('2025-03-12/day');
      expect(iso('26-3-12')).toBe('1926-03-12/day');
      expect(iso('八五年三月')).toBe('1985-03/month');
    });

    it('does not read 85.3 (a decimal as likely as a date) as a year and month', () => {
      expect(parse('85.3').ok).toBe(false);
    });
  });

  describe('Excel serial numbers', () => {
    it('converts serials after the 1900 leap-year bug', () => {
      expect(parse(31118)).toEqual({
        ok: true,
        value: { iso: '1985-03-12', precision: 'day', year: 1985, month: 3, day: 12 },
        flags: ['excel-serial'],
      });
      expect(iso(61)).toBe('1900-03-01/day');
      expect(iso(45292.75)).toBe('2024-01-01/day');
    });

    it('converts serials before the bug without the offset', () => {
      expect(iso(1)).toBe('1900-01-01/day');
      expect(iso(59)).toBe('1900-02-28/day');
    });

    it('rejects serial 60, the non-existent 1900-02-29, and serial 0', () => {
      expect(iso(60)).toMatch(/fail: .*1900-02-29/);
      expect(parse(0).ok).toBe(false);
    });

    it('reads a bare five-digit serial exported as text', () => {
      expect(iso('31118')).toBe('1985-03-12/day');
    });
  });

  describe('numbers that are not serials', () => {
    it('reads digits typed into a number cell', () => {
      expect(iso(19850312)).toBe('1985-03-12/day');
      expect(iso(198503)).toBe('1985-03/month');
      expect(iso(1985)).toBe('1985/year');
    });

    it('reads year.month numbers, flagging the one ambiguous month', () => {
      expect(iso(1985.03)).toBe('1985-03/month');
      expect(iso(1985.3)).toBe('1985-03/month');
      expect(iso(1985.12)).toBe('1985-12/month');
      expect(parse(1985.1)).toEqual({
        ok: true,
        value: { iso: '1985', precision: 'year', year: 1985 },
        flags: ['month-ambiguous'],
      });
      expect(parse(1985.13).ok).toBe(false);
    });

    it('reads epoch milliseconds as the day in Beijing', () => {
      // 1985-03-12 00:00 in Beijing is 1985-03-11 16:00 UTC.
      expect(parse(479404800000)).toEqual({
        ok: true,
        value: { iso: '1985-03-12', precision: 'day', year: 1985, month: 3, day: 12 },
        flags: ['epoch-ms'],
      });
      expect(iso('479404800000')).toBe('1985-03-12/day');
      // Midnight during China's 1988 daylight-saving time (UTC+9).
      expect(iso(Date.UTC(1988, 4, 31, 15))).toBe('1988-06-01/day');
      // Before 1970 the value is negative.
      expect(iso(Date.UTC(1950, 0, 13, 16))).toBe('1950-01-14/day');
    });
  });

  describe('Date objects from exceljs', () => {
    it('uses the UTC calendar day', () => {
      expect(iso(new Date(Date.UTC(1985, 2, 12)))).toBe('1985-03-12/day');
    });

    it('rejects an invalid Date', () => {
      expect(parse(new Date('nope')).ok).toBe(false);
    });
  });

  describe('impossible and unreadable values', () => {
    it.each(['1985-02-29', '1985-13-01', '1985-04-31', '19850230', '1985年13月'])('rejects %s', (text) => {
      const r = parse(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && reasonText(r.reason)).toMatch(/does not exist/);
    });

    it('accepts 29 February in a leap year', () => {
      expect(iso('2000-02-29')).toBe('2000-02-29/day');
    });

    it.each(['abc', '1985-03-12-01', '12/03/1985', true])('rejects %p with a reason', (cell) => {
      const r = parse(cell);
      expect(r.ok).toBe(false);
      expect(!r.ok && reasonText(r.reason)).toBeTruthy();
    });

    it('marks blank cells', () => {
      expect(parse(undefined)).toMatchObject({ ok: false, blank: true });
    });
  });
});

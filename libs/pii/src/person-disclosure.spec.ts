import { maskBirthDate, maskIdNumber, maskPhone } from './person-disclosure';

/** Valid IDs whose first 17 characters agree with what a masked view shows (region, birth year, gender parity). */
function idsConsistentWith(shownId: string, birthYear: number, male: boolean): number {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let count = 0;
  const region = shownId.slice(0, 6);
  for (let day = new Date(Date.UTC(birthYear, 0, 1)); day.getUTCFullYear() === birthYear; day.setUTCDate(day.getUTCDate() + 1)) {
    const birth = day.toISOString().slice(0, 10).replace(/-/g, '');
    for (let seq = male ? 1 : 0; seq < 1000; seq += 2) {
      const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
      const check = '10X98765432'[[...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0) % 11];
      if (maskIdNumber(first17 + check) === shownId) count++;
    }
  }
  return count;
}

describe('person disclosure', () => {
  it('masks an ID to its region, a phone to its ends, a birth date to its year', () => {
    expect(maskIdNumber('15010519850312123X')).toBe('150105************');
    expect(maskIdNumber('150105850312123')).toBe('150105************');
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0471-6612345')).toBe('0471-****2345');
    expect(maskBirthDate('1985-03-12')).toEqual({ birthDate: '1985-01-01', birthPrecision: 'year' });
    expect(maskBirthDate(null)).toEqual({ birthDate: null, birthPrecision: null });
  });

  it('is idempotent on what it has masked, so older masks are narrowed again safely', () => {
    expect(maskIdNumber(maskIdNumber('15010519850312123X'))).toBe('150105************');
    expect(maskIdNumber('150105********123X')).toBe('150105************');
  });

  it('leaves a registry:read key the number of candidates its comment promises (365 days x 1,000 / 2)', () => {
    const shown = maskIdNumber('15010519850312123X');
    expect(idsConsistentWith(shown, 1985, true)).toBe(365 * 500);
  });
});

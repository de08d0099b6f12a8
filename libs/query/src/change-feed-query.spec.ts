import { maskClearValues } from './change-feed-query';

describe('maskClearValues', () => {
  it('masks a clear ID number or mobile wherever it appears, and leaves everything else alone', () => {
    expect(maskClearValues({
      idNumber: [null, '15010519850312123X'], phone: ['13812345678', null], name: [null, '张伟'], units: [2, 3], other: ['15010519850312123X', null],
    })).toEqual({
      idNumber: [null, '150105************'], phone: ['138****5678', null], name: [null, '张伟'], units: [2, 3], other: ['150105************', null],
    });
  });

  it('says that a birth date it shows is a year', () => {
    expect(maskClearValues({ birthDate: [null, '1985-03-12'] })).toEqual({ birthDate: [null, '1985-01-01'], birthPrecision: [null, 'year'] });
  });

  it('shows what a registry:read key may see: birth dates by their year, IDs of an older, wider mask by region', () => {
    expect(maskClearValues({
      birthDate: ['1985-03-12', '1986-07-01'], birthPrecision: [null, 'day'], idNumber: ['set', '150105********123X'], idEvidence: [null, '150105********123X'],
    })).toEqual({
      birthDate: ['1985-01-01', '1986-01-01'], birthPrecision: ['year', 'year'], idNumber: ['set', '150105************'], idEvidence: [null, '150105************'],
    });
  });
});

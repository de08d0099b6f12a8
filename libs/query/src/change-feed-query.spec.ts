import { maskClearValues } from './change-feed-query';

describe('maskClearValues', () => {
  it('masks a clear ID number or mobile wherever it appears, and leaves everything else alone', () => {
    expect(maskClearValues({
      idNumber: [null, '15010519850312123X'], phone: ['13812345678', null], name: [null, '张伟'], units: [2, 3], masked: [null, '150105********123X'],
    })).toEqual({
      idNumber: [null, '150105********123X'], phone: ['138****5678', null], name: [null, '张伟'], units: [2, 3], masked: [null, '150105********123X'],
    });
  });
});

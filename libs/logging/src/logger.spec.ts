import { scrubPersonalData } from './logger';

describe('scrubPersonalData', () => {
  it('masks citizen IDs and mobile numbers inside free text', () => {
    expect(scrubPersonalData('row 5: 150105198503121234 and 15114978064')).toBe(
      'row 5: 150105************ and 151****8064',
    );
    expect(scrubPersonalData('id 11010519491231002X')).toBe('id 110105************');
  });

  it('leaves codes that are not personal data alone', () => {
    expect(scrubPersonalData('division 150105001019, batch 42')).toBe('division 150105001019, batch 42');
  });
});

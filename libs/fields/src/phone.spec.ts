import { reasonText } from '@qc/reasons';
import { parsePhone } from './phone';

const mobile = { ok: true, value: { kind: 'mobile', number: '13812345678' } };

describe('parsePhone', () => {
  it.each([
    ['13812345678'],
    [13812345678],
    ['138 1234 5678'],
    ['138-1234-5678'],
    ['+86 138 1234 5678'],
    ['+8613812345678'],
    ['0086-13812345678'],
    ['8613812345678'],
    ['１３８１２３４５６７８'],
  ])('reads %p as a mobile number', (cell) => {
    expect(parsePhone(cell)).toEqual(mobile);
  });

  it('normalises Hohhot landlines with their area code', () => {
    const landline = { ok: true, value: { kind: 'landline', number: '0471-1234567', areaCode: '0471' } };
    expect(parsePhone('0471-1234567')).toEqual(landline);
    expect(parsePhone('(0471)1234567')).toEqual(landline);
    expect(parsePhone('0471 1234567')).toEqual(landline);
    expect(parsePhone('04711234567')).toEqual(landline);
  });

  it('uses a three-digit area code for Beijing', () => {
    expect(parsePhone('010-12345678')).toEqual({
      ok: true,
      value: { kind: 'landline', number: '010-12345678', areaCode: '010' },
    });
  });

  it('assumes the Hohhot area code for a bare local number', () => {
    expect(parsePhone('6912345')).toEqual({
      ok: true,
      value: { kind: 'landline', number: '0471-6912345', areaCode: '0471' },
      flags: ['area-code-assumed'],
    });
  });

  it('takes the first readable number of several', () => {
    expect(parsePhone('13812345678/13912345678')).toEqual({ ...mobile, flags: ['multiple-numbers'] });
    expect(parsePhone('无、13812345678')).toEqual({ ...mobile, flags: ['multiple-numbers'] });
  });

  it.each(['1381234567', '12345678901', '23812345678', '0471-123', '无', '138123456789'])(
    'rejects %s with a reason that does not quote the number',
    (cell) => {
      const r = parsePhone(cell);
      expect(r.ok).toBe(false);
      expect(!r.ok && reasonText(r.reason)).toMatch(/^电话号码/);
      expect(!r.ok && reasonText(r.reason)).not.toContain(cell);
    },
  );
});

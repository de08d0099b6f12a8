import { because } from '@qc/reasons';
import { parseEthnicGroup } from './ethnic';

const MONGOL = { code: '02', name: '蒙古族' };

describe('parseEthnicGroup', () => {
  it.each([
    ['02'],
    ['2'],
    [2],
    ['蒙古族'],
    ['蒙古'],
    ['蒙'],
    ['蒙族'],
    ['Mongol'],
    ['MONGOL'],
    ['MG'],
    [' 蒙 古 族 '],
  ])('%p is Mongol', (cell) => {
    expect(parseEthnicGroup(cell)).toEqual({ ok: true, value: MONGOL });
  });

  it('finds the other groups of Hohhot by name, alias and code', () => {
    expect(parseEthnicGroup('汉')).toEqual({ ok: true, value: { code: '01', name: '汉族' } });
    expect(parseEthnicGroup('回族')).toEqual({ ok: true, value: { code: '03', name: '回族' } });
    expect(parseEthnicGroup('满')).toEqual({ ok: true, value: { code: '11', name: '满族' } });
    expect(parseEthnicGroup('维族')).toEqual({ ok: true, value: { code: '05', name: '维吾尔族' } });
    expect(parseEthnicGroup('31')).toEqual({ ok: true, value: { code: '31', name: '达斡尔族' } });
  });

  it('reads traditional characters and old names listed in the reference table', () => {
    expect(parseEthnicGroup('維吾爾族')).toEqual({ ok: true, value: { code: '05', name: '维吾尔族' } });
    expect(parseEthnicGroup('崩龙族')).toEqual({ ok: true, value: { code: '46', name: '德昂族' } });
    expect(parseEthnicGroup('毛难族')).toEqual({ ok: true, value: { code: '36', name: '毛南族' } });
  });

  it('knows the 97/98 extensions', () => {
    expect(parseEthnicGroup('97')).toEqual({ ok: true, value: { code: '97', name: '其他' } });
    expect(parseEthnicGroup('外国血统')).toEqual({
      ok: true,
      value: { code: '98', name: '外国血统中国籍人士' },
    });
  });

  it('does not index the prose notes of the alias column', () => {
    expect(parseEthnicGroup('non-GB/T 3304 extension seen in practice').ok).toBe(false);
  });

  it('rejects unknown codes and names with a reason', () => {
    expect(parseEthnicGroup('99')).toEqual({ ok: false, reason: because('ethnic-unrecognised', { value: '99' }) });
    expect(parseEthnicGroup('蒙古人民').ok).toBe(false);
    expect(parseEthnicGroup(null)).toMatchObject({ ok: false, blank: true });
  });
});

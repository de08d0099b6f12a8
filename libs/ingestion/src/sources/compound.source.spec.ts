import { because } from '@qc/reasons';
import { CompoundSource } from './compound.source';
import { SheetContext } from './source-definition';

const sheet: SheetContext = {
  fileName: '网格化服务管理平台导出.xlsx', sheet: '小区信息', format: 'xlsx', titles: [],
  headers: { compoundName: '小区名称', propertyCompany: '物业公司', builtYear: '建成年份', community: '所属社区' },
};
const parse = (cells: Record<string, string | number | null>) => new CompoundSource().parse({ compoundName: '航苑小区', community: '河西', ...cells }, sheet);

describe('CompoundSource.parse', () => {
  it.each([[1990, 1990], ['1990年', 1990], ['2003-05', 2003], ['2003年建成', 2003], [null, null]])('reads the built year %p as %p', async (cell, year) => {
    expect(await parse({ builtYear: cell })).toMatchObject({ ok: true, record: { builtYear: year } });
  });

  it('rejects a built year that is no year, naming the column and the value', async () => {
    expect(await parse({ builtYear: '很久以前' })).toEqual({ ok: false, problems: [{ column: '建成年份', reason: because('built-year-invalid', { value: '很久以前' }) }] });
    expect(await parse({ builtYear: 1850 })).toEqual({ ok: false, problems: [{ column: '建成年份', reason: because('built-year-invalid', { value: '1850' }) }] });
  });

  it.each(['无', '暂无', '自管', ' / ', '—'])('takes %p for no property company', async (company) => {
    expect(await parse({ propertyCompany: company })).toMatchObject({ ok: true, record: { propertyCompany: null } });
  });

  it('keeps a company named in any form', async () => {
    expect(await parse({ propertyCompany: '日富物业' })).toMatchObject({ ok: true, record: { propertyCompany: '日富物业' } });
  });

  it('rejects a row without a compound name', async () => {
    expect(await parse({ compoundName: '  ' })).toEqual({ ok: false, problems: [{ column: '小区名称', reason: because('compound-name-missing') }] });
  });
});

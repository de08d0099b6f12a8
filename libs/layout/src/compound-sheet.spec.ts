import type { CellValue, RawRow } from '@qc/readers';
import { detectLayout } from './detect';

function sheet(name: string, rows: CellValue[][]): RawRow[] {
  return rows.map((cells, i) => ({ sheet: name, ref: `${name}!${i + 1}`, line: i + 1, cells }));
}

// The grid platform's compound lists: a compound's name, address and property company are no building and no red-property branch.
describe('a compound list', () => {
  it('小区信息 is a compound sheet, not buildings and not a red-property ledger', () => {
    const l = detectLayout('小区信息', sheet('小区信息', [
      ['序号', '小区名称', '地址', '物业公司', '所属社区', '楼栋数', '户数', '建成年份'],
      [1, '航苑小区', '老缸房街12号', '日富物业', '河西社区', 8, 320, 1990],
    ]));
    expect(l.entity).toBe('compound');
    expect(l.columns).toEqual({ seq: 0, compoundName: 1, address: 2, propertyCompany: 3, community: 4, buildingCount: 5, householdCount: 6, builtYear: 7 });
    expect(l.candidates.map((c) => c.entity).slice(1)).toEqual(expect.arrayContaining(['building', 'red-property']));
    expect(l.missingRequired).toEqual([]);
  });

  it('小区 with other words for the same columns is a compound sheet too', () => {
    const l = detectLayout('小区', sheet('小区', [
      ['小区', '小区地址', '物业企业', '所属街道', '所属社区', '所属网格', '楼栋数量', '建成时间'],
      ['阳光花园', '新华大街88号', '呼和浩特市福瑞物业管理有限责任公司', '人民路街道', '兴康', '第一网格', 12, '2003年'],
    ]));
    expect(l.entity).toBe('compound');
    expect(l.columns).toMatchObject({ compoundName: 0, address: 1, propertyCompany: 2, subdistrict: 3, community: 4, grid: 5, buildingCount: 6, builtYear: 7 });
  });

  it('leaves the building sheet and the red-property ledger what they were', () => {
    const buildings = detectLayout('楼栋', sheet('楼栋', [
      ['小区名称', '楼栋号', '单元数', '户数', '所属社区', '所属网格', '楼栋长', '楼栋长电话', '是否党员', '楼栋党小组'],
      ['航苑小区', '10号楼', 3, 36, '河西', '第一网格', '王建国', '13800000000', '是', ''],
    ]));
    expect(buildings.entity).toBe('building');
    const ledger = detectLayout('2023年', sheet('2023年', [
      ['序号', '物业企业名称', '统一社会信用代码', '党组织名称', '党组织类型', '党员人数', '党组织书记', '服务小区', '所属社区', '所属街道', '所属区', '党组织成立时间', '联合党组织名称'],
      [1, '日富物业', '91150100MA0N0R1X1A', '日富物业党支部', '党支部', 10, '张三', '航苑小区', '河西社区', '东街街道', '新城区', '2019年3月', ''],
    ]));
    expect(ledger.entity).toBe('red-property');
  });
});

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CommunityCounts, DivisionStats, DivisionStatsService, levelOfCode, parentOfCode, sumCommunityCounts } from '@qc/divisions';
import { DataSource } from 'typeorm';
import { NO_DATA, NOT_IMPORTED, ReportColumn, ReportRequest, ReportRow, ReportTable } from './report-definition';
import { reportDate, ReportScopes } from './report-scope';
import { ReportSources } from './report-sources';

/** The figures, in column order after the three name columns and the code; each is a DivisionStats field. */
export const STRUCTURE_FIGURES: readonly { field: keyof DivisionStats; header: string; percent?: true }[] = [
  { field: 'grids', header: '网格数' },
  { field: 'gridBranches', header: '网格党支部' },
  { field: 'buildings', header: '楼栋数' },
  { field: 'buildingLeads', header: '有楼栋长的楼栋' },
  { field: 'buildingGroups', header: '楼栋党小组' },
  { field: 'centralHouseholds', header: '中心户' },
  { field: 'organizations', header: '党组织数' },
  { field: 'members', header: '党员总数' },
  { field: 'fullMembers', header: '正式党员' },
  { field: 'probationaryMembers', header: '预备党员' },
  { field: 'households', header: '户数' },
  { field: 'residents', header: '常住人口' },
  { field: 'minorityShare', header: '少数民族占比', percent: true },
];

const COLUMNS: readonly ReportColumn[] = [
  { header: '旗县区', width: 14, format: 'text' },
  { header: '街道（乡镇）', width: 18, format: 'text' },
  { header: '社区（村）', width: 18, format: 'text' },
  { header: '区划代码', key: 'code', width: 15, format: 'text' },
  ...STRUCTURE_FIGURES.map((f): ReportColumn => ({ header: f.header, key: f.field, width: f.percent ? 11 : 9, format: f.percent ? 'percent' : 'integer' })),
];

/**
 * 组织体系统计表: one row per community, a subtotal under each subdistrict and district, a total for
 * the scope. Every figure comes from DivisionStatsService's per-community counts and every subtotal
 * is summed by the same function as DivisionStatsService.stats, so the table and the stats agree.
 */
@Injectable()
export class StructureReport {
  readonly name = 'structure';
  readonly title = '组织体系统计表';

  constructor(
    private readonly stats: DivisionStatsService,
    private readonly scopes: ReportScopes,
    private readonly sources: ReportSources,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async open(request: ReportRequest): Promise<ReportTable> {
    const { division, pathName } = await this.scopes.division(request.scope);
    const all = await this.stats.communityCounts(division.code);
    // The city has hundreds of communities no source has reached yet: by default its table lists only the others.
    const omitEmpty = request.omitEmptyCommunities ?? levelOfCode(division.code) === 'city';
    const communities = omitEmpty ? all.filter((c) => !isEmptyCommunity(c)) : all;
    const omitted = all.length - communities.length;
    const names = await this.namesOf(communities);
    return {
      title: this.title,
      subtitle: `范围：${pathName}（${all.length} 个社区${omitted > 0 ? `，列出有数据的 ${communities.length} 个，另 ${omitted} 个尚无任何导入数据未列出` : ''}）　　统计日期：${reportDate()}`,
      sheetName: '组织体系',
      columns: COLUMNS,
      rows: structureRows(communities, names, division.code, pathName),
      sources: await this.sources.line(),
    };
  }

  private async namesOf(communities: CommunityCounts[]): Promise<Map<string, string>> {
    const streets = new Set(communities.map((c) => c.parentCode ?? parentOfCode(c.code)).filter((c): c is string => c !== null));
    const codes = [...streets, ...[...streets].map(parentOfCode).filter((c): c is string => c !== null)];
    const rows: { code: string; name: string }[] = await this.dataSource.query('SELECT code, name FROM division WHERE code = ANY($1)', [codes]);
    return new Map(rows.map((r) => [r.code, r.name]));
  }
}

/** A community no import has said anything about: no counts in the registry and no civil-affairs basics. */
export function isEmptyCommunity(c: CommunityCounts): boolean {
  return c.households === null && c.residents === null && REGISTRY_FIELDS.every((f) => c[f] === 0);
}

const REGISTRY_FIELDS = ['grids', 'gridBranches', 'compounds', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds',
  'organizations', 'members', 'fullMembers', 'probationaryMembers', 'redPropertyBranches'] as const satisfies readonly (keyof CommunityCounts)[];

/**
 * The figures of a row summing `communities` (one community, or those of a subtotal), as
 * DivisionStatsService.stats gives them, with the README's rule for what is not a count: households
 * and residents no community of the row has civil-affairs basics for are 未导入 (not 0), and so is
 * the minority share; a share of no residents is 无数据; a row of communities without any data says 未导入 throughout.
 */
function figureCells(communities: readonly CommunityCounts[]): unknown[] {
  if (communities.every(isEmptyCommunity)) return STRUCTURE_FIGURES.map(() => NOT_IMPORTED);
  const stats = sumCommunityCounts(communities);
  const basicsImported = communities.some((c) => c.residents !== null || c.households !== null);
  return STRUCTURE_FIGURES.map((f) => {
    if (f.field === 'households' || f.field === 'residents') return basicsImported ? stats[f.field] : NOT_IMPORTED;
    if (f.field === 'minorityShare') return basicsImported ? stats.minorityShare ?? NO_DATA : NOT_IMPORTED;
    return stats[f.field];
  });
}

/** Communities in code order, a subtotal after each street and district below the scope, the scope's total last. */
async function* structureRows(
  communities: CommunityCounts[], names: Map<string, string>, scopeCode: string, scopeName: string,
): AsyncGenerator<ReportRow> {
  const scopeLevel = levelOfCode(scopeCode);
  const nameOf = (code: string | null) => (code ? names.get(code) ?? code : '');
  const streetOf = (c: CommunityCounts) => c.parentCode ?? parentOfCode(c.code) ?? '';
  const districtOf = (c: CommunityCounts) => parentOfCode(streetOf(c)) ?? '';
  let i = 0;
  while (i < communities.length) {
    const district = districtOf(communities[i]);
    const inDistrict: CommunityCounts[] = [];
    while (i < communities.length && districtOf(communities[i]) === district) {
      const street = streetOf(communities[i]);
      const inStreet: CommunityCounts[] = [];
      for (; i < communities.length && streetOf(communities[i]) === street; i++) {
        const c = communities[i];
        inStreet.push(c);
        yield { kind: 'data', cells: [nameOf(district), nameOf(street), c.name, c.code, ...figureCells([c])] };
      }
      inDistrict.push(...inStreet);
      if (scopeLevel === 'city' || scopeLevel === 'district') {
        yield { kind: 'subtotal', cells: [nameOf(district), `${nameOf(street)} 小计`, '', street, ...figureCells(inStreet)] };
      }
    }
    if (scopeLevel === 'city') {
      yield { kind: 'subtotal', cells: [`${nameOf(district)} 合计`, '', '', district, ...figureCells(inDistrict)] };
    }
  }
  yield { kind: 'total', cells: [`${scopeName} 总计`, '', '', scopeCode, ...figureCells(communities)] };
}

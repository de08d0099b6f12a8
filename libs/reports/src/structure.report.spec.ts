import { CommunityCounts, DivisionStatsService, sumCommunityCounts } from '@qc/divisions';
import { DataSource } from 'typeorm';
import { ReportRow } from './report-definition';
import { ReportScopes } from './report-scope';
import { ReportSources } from './report-sources';
import { STRUCTURE_FIGURES, StructureReport } from './structure.report';

function community(code: string, members: number, residents: number | null, minority: number | null): CommunityCounts {
  return {
    code, name: `社区${code.slice(-3)}`, parentCode: `${code.slice(0, 9)}000`, households: residents === null ? null : residents / 3, residents,
    minorityResidents: minority, communityWorkers: 5, grids: 2, gridBranches: 1, compounds: 3, buildings: 10, buildingLeads: 4, buildingGroups: 1,
    centralHouseholds: 2, organizations: 3, members, fullMembers: members - 1, probationaryMembers: 1, redPropertyBranches: 0,
  };
}

const COMMUNITIES = [
  community('150102001001', 100, 3000, 300),
  community('150102001002', 50, null, null),
  community('150102002001', 70, 2100, 700),
  community('150105001019', 310, 7056, 1734),
];
const NAMES: Record<string, string> = { '150102001000': '甲街道', '150102002000': '乙街道', '150102000000': '新城区', '150105001000': '人民路街道', '150105000000': '赛罕区' };

async function rowsFor(scopeCode: string, communities: CommunityCounts[], omitEmptyCommunities?: boolean): Promise<ReportRow[]> {
  const sources = { line: async () => '数据来源：S6 民政社区基本情况' } as unknown as ReportSources;
  const stats = { communityCounts: async () => communities } as unknown as DivisionStatsService;
  const scopes = { division: async () => ({ division: { code: scopeCode }, pathName: '呼和浩特市' }) } as unknown as ReportScopes;
  const dataSource = { query: async (_sql: string, [codes]: [string[]]) => codes.map((code) => ({ code, name: NAMES[code] })) } as unknown as DataSource;
  const table = await new StructureReport(stats, scopes, sources, dataSource).open({ scope: scopeCode, reader: { actor: 't', apiKeyId: null, mayReadPii: false }, omitEmptyCommunities });
  const rows: ReportRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

const figures = (row: ReportRow) => row.cells.slice(4);
const expectedFigures = (communities: CommunityCounts[]) => STRUCTURE_FIGURES.map((f) => sumCommunityCounts(communities)[f.field]);

describe('StructureReport', () => {
  it('lists communities under a subtotal per street and district and a total, each summed like DivisionStatsService.stats', async () => {
    const rows = await rowsFor('150100000000', COMMUNITIES);
    expect(rows.map((r) => [r.kind, r.cells[3]])).toEqual([
      ['data', '150102001001'], ['data', '150102001002'], ['subtotal', '150102001000'],
      ['data', '150102002001'], ['subtotal', '150102002000'], ['subtotal', '150102000000'],
      ['data', '150105001019'], ['subtotal', '150105001000'], ['subtotal', '150105000000'],
      ['total', '150100000000'],
    ]);
    expect(rows[2].cells.slice(0, 2)).toEqual(['新城区', '甲街道 小计']);
    expect(figures(rows[2])).toEqual(expectedFigures(COMMUNITIES.slice(0, 2)));
    expect(figures(rows[5])).toEqual(expectedFigures(COMMUNITIES.slice(0, 3)));
    expect(figures(rows[9])).toEqual(expectedFigures(COMMUNITIES));
  });

  it('recomputes the minority share from the summed counts, and writes 未导入 for figures whose source was not imported', async () => {
    const rows = await rowsFor('150100000000', COMMUNITIES);
    const share = STRUCTURE_FIGURES.findIndex((f) => f.field === 'minorityShare');
    const residents = STRUCTURE_FIGURES.findIndex((f) => f.field === 'residents');
    const households = STRUCTURE_FIGURES.findIndex((f) => f.field === 'households');
    expect([figures(rows[1])[residents], figures(rows[1])[households], figures(rows[1])[share]]).toEqual(['未导入', '未导入', '未导入']);
    expect(figures(rows[1]).filter((v) => typeof v !== 'number')).toHaveLength(3);
    expect(figures(rows[2])[share]).toBe(0.1);
    expect(figures(rows[9])[share]).toBe(Math.round(((300 + 700 + 1734) / (3000 + 2100 + 7056)) * 10000) / 10000);
  });

  it('has no subtotals above the scope: a street shows its communities and its total', async () => {
    const rows = await rowsFor('150102001000', COMMUNITIES.slice(0, 2));
    expect(rows.map((r) => r.kind)).toEqual(['data', 'data', 'total']);
  });

  it('leaves out communities without any data for the city by default, lists them as 未导入 when asked to, and lists them for a district', async () => {
    const empty: CommunityCounts = {
      ...community('150102001003', 0, null, null), households: null, communityWorkers: null, grids: 0, gridBranches: 0, compounds: 0,
      buildings: 0, buildingLeads: 0, buildingGroups: 0, centralHouseholds: 0, organizations: 0, fullMembers: 0, probationaryMembers: 0,
    };
    const withEmpty = [...COMMUNITIES.slice(0, 2), empty, ...COMMUNITIES.slice(2)];
    const codes = (rows: ReportRow[]) => rows.filter((r) => r.kind === 'data').map((r) => r.cells[3]);
    expect(codes(await rowsFor('150100000000', withEmpty))).not.toContain('150102001003');
    const listed = await rowsFor('150100000000', withEmpty, false);
    expect(codes(listed)).toContain('150102001003');
    expect(figures(listed.find((r) => r.cells[3] === '150102001003')!)).toEqual(STRUCTURE_FIGURES.map(() => '未导入'));
    expect(codes(await rowsFor('150102000000', withEmpty))).toContain('150102001003');
  });
});

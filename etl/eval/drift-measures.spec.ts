import { companyRows, driftReport, ignoredColumns, placeRows, UsedColumns } from './drift-measures';
import { recordKey, TruthRecord } from './truth';
import { Measurement } from './measure';
import { PairwiseCounts } from './pairwise';

const counts = (f1: number | null): PairwiseCounts => ({
  rows: 2, linkedRows: 2, truthEntities: 1, predictedEntities: 1, truthPairs: 1, predictedPairs: 1, truePairs: f1 === null ? 0 : 1, precision: f1, recall: f1, f1,
});

describe('ignoredColumns', () => {
  const truth = {
    'roster.xlsx': {
      名单: [
        { header: '人员 姓名', field: 'name' },
        { header: '身份号码（18位）', field: 'idNumber' },
        { header: '正式/预备', field: 'category' },
        { header: '填报人', field: null },
      ],
      党组织设置: [{ header: '支部名称', field: 'orgName' }],
    },
    'basics.csv': { '': [{ header: '社工人数', field: 'workers' }, { header: '户籍户数', field: 'households' }] },
  };

  it('matches the headers the import used, after normalisation and under a group of a two-row header', () => {
    const used: UsedColumns = new Map<string, Record<string, Record<string, string>>>([
      ['roster.xlsx', { 名单: { name: '人员姓名', idNumber: '基本信息/身份号码(18位)', category: '党籍信息/正式/预备' } }],
      ['basics.csv', { 'basics.csv': { households: '户籍户数' } }],
    ]);
    expect(ignoredColumns(truth, used)).toEqual([
      { file: 'roster.xlsx', sheet: '名单', ignored: [{ header: '填报人', field: null }], sheetUnread: false },
      { file: 'roster.xlsx', sheet: '党组织设置', ignored: [{ header: '支部名称', field: 'orgName' }], sheetUnread: true },
      { file: 'basics.csv', sheet: '', ignored: [{ header: '社工人数', field: 'workers' }], sheetUnread: false },
    ]);
  });
});

describe('driftReport', () => {
  const measured = {
    types: {
      person: { ...counts(0.5), registryType: 'person', rows: 100, validRejected: 2, notStaged: 3, skipped: 1 },
      grid: { ...counts(1), registryType: 'grid', rows: 10, validRejected: 0, notStaged: 0, skipped: 0 },
      division: { ...counts(null), registryType: 'division', rows: 4, validRejected: 0, notStaged: 0, skipped: 0 },
    },
    files: {}, validRejected: 2, invalidRows: 5, invalidRejected: 4, invalidAccepted: 1,
    subsets: { 'central household': counts(0.25) }, hardNegativesChecked: 3, hardNegativeViolations: [['P1', 'P2']],
  } as Measurement;

  it('adds up what was lost and rejected, and names the communities whose figures differ', () => {
    const report = driftReport({
      measured,
      places: { grid: counts(0.5) },
      stats: {
        communities: 3, figuresCompared: 40,
        mismatches: [
          { code: 'A', name: '甲社区', field: 'members', truth: 10, registry: 9 },
          { code: 'A', name: '甲社区', field: 'grids', truth: 2, registry: null },
          { code: 'CITY', name: 'city', field: 'members', truth: 30, registry: 29 },
        ],
      },
      cityCode: 'CITY',
      companies: counts(0),
      redPropertyBranches: { truth: 27, registry: 26 },
      columns: [],
    });
    expect(report).toMatchObject({
      validRows: 114, validLost: 4, validRejected: 2, nobodyRows: 5, nobodyRejected: 4, hardNegativeMerges: 1,
      person: { precision: 0.5, recall: 0.5 },
      f1: { grid: 0.5, 'central household': 0.25, 'property company': 0 },
      communities: { compared: 3, exact: 2, differing: [{ code: 'A', name: '甲社区', figures: [{ field: 'members', truth: 10, registry: 9 }, { field: 'grids', truth: 2, registry: null }] }] },
    });
    expect(report.validRejectedShare).toBeCloseTo(2 / 114);
    expect(report.f1).not.toHaveProperty('division');
  });
});

describe('placeRows', () => {
  it('adds the places a building row and a central household row name to the places their own rows describe', () => {
    const truth = new Map<string, TruthRecord>([
      [recordKey('s2.xlsx', '楼栋!3'), { file: 's2.xlsx', entityType: 'building', truthId: 'B1', valid: true }],
      [recordKey('s2.xlsx', '中心户!2'), { file: 's2.xlsx', entityType: 'person', truthId: 'P1', valid: true }],
      [recordKey('s2.xlsx', '小区!2'), { file: 's2.xlsx', entityType: 'compound', truthId: 'C1', valid: true }],
      [recordKey('s1.csv', '2'), { file: 's1.csv', entityType: 'person', truthId: 'P1', valid: true }],
    ]);
    const columns = {
      's2.xlsx': { 楼栋: [{ header: '栋号', field: 'buildingNo' }], 中心户: [{ header: '户主名字', field: 'householder' }], 小区: [{ header: '小区名', field: 'compound' }] },
      's1.csv': { '': [{ header: '人员姓名', field: 'name' }] },
    };
    const rows = placeRows(truth, columns, new Map([['B1', { compound: 'C1', grid: 'G1' }]]), new Map([['P1', 'B1']]));
    expect(rows).toEqual({
      building: [{ key: recordKey('s2.xlsx', '楼栋!3'), truthId: 'B1' }, { key: `${recordKey('s2.xlsx', '中心户!2')}#building`, truthId: 'B1' }],
      compound: [{ key: `${recordKey('s2.xlsx', '楼栋!3')}#compound`, truthId: 'C1' }, { key: recordKey('s2.xlsx', '小区!2'), truthId: 'C1' }],
      grid: [{ key: `${recordKey('s2.xlsx', '楼栋!3')}#grid`, truthId: 'G1' }],
    });
  });
});

describe('companyRows', () => {
  it('counts a branch row as a mention of its company only on a sheet that names the company', () => {
    const truth = new Map<string, TruthRecord>([
      [recordKey('s4.xlsx', '2021!5'), { file: 's4.xlsx', entityType: 'organization', truthId: 'O1', valid: true }],
      [recordKey('s4.xlsx', '2022!6'), { file: 's4.xlsx', entityType: 'organization', truthId: 'O1', valid: true }],
      [recordKey('s4.xlsx', '2022!7'), { file: 's4.xlsx', entityType: 'organization', truthId: 'O2', valid: false }],
      [recordKey('s5.json', '/3'), { file: 's5.json', entityType: 'organization', truthId: 'O1', valid: true }],
      [recordKey('s3.xlsx', '组织!4'), { file: 's3.xlsx', entityType: 'organization', truthId: 'O3', valid: true }],
    ]);
    const columns = {
      's4.xlsx': { 2021: [{ header: '企业名', field: 'companyName' }], 2022: [{ header: '代码', field: 'creditCode' }] },
      's3.xlsx': { 组织: [{ header: '组织名', field: 'orgName' }] },
    };
    const rows = companyRows(truth, columns, new Map([['O1', 'PC1'], ['O2', 'PC2'], ['O3', 'PC3']]));
    expect(rows).toEqual([{ key: recordKey('s4.xlsx', '2021!5'), truthId: 'PC1' }, { key: recordKey('s4.xlsx', '2022!6'), truthId: 'PC1' }]);
  });
});

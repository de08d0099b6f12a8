import { SheetAccount } from '@qc/database';
import { describeSheet } from './import-summary';

const imported: SheetAccount = {
  sheet: '社区', status: 'imported', kind: 'community-basics', label: '社区基本情况', score: 0.91, reason: null, rows: 2,
  used: [
    { header: '行政区划编码', field: 'communityCode', label: '社区代码', evidence: 'header+values' },
    { header: '列7', field: 'fullTimeWorkers', label: '专职社区工作者数', evidence: 'values' },
  ],
  ignored: [{ header: '填报人', reason: 'no field of 社区基本情况 reads like this header or its values' }],
  warnings: ['no column for 户数 (households), which a 社区基本情况 usually has'],
};

describe('describeSheet', () => {
  it('names the kind, every column used and ignored, and the warnings', () => {
    expect(describeSheet(imported)).toEqual([
      'sheet 社区: 社区基本情况 (community-basics, score 0.91), 2 rows',
      '  columns used: 行政区划编码 → communityCode, 列7 → fullTimeWorkers (by its values)',
      '  column ignored: 填报人: no field of 社区基本情况 reads like this header or its values',
      '  warning: no column for 户数 (households), which a 社区基本情况 usually has',
    ]);
  });

  it('says why a sheet was passed over and how many rows were not read', () => {
    const skipped: SheetAccount = { ...imported, sheet: '填表说明', status: 'skipped', kind: null, label: null, score: null, reason: 'sheet 填表说明 holds no records', rows: 3, used: [], ignored: [], warnings: [] };
    expect(describeSheet(skipped)).toEqual(['sheet 填表说明: skipped, 3 rows not read', '  sheet 填表说明 holds no records']);
  });
});

import fc from 'fast-check';
import { classifyRow, describeLayout, detectLayout, layoutProblem } from './index';

/** Header words of real forms mixed with noise, so that some random sheets are recognised and some are not. */
const word = fc.oneof(
  fc.constantFrom('姓名', '身份证号', '性别', '民族', '出生日期', '所在党支部', '联系电话', '社区代码', '社区名称', '网格编码', '楼栋号', '合计', '小计', '序号', '备注', ''),
  fc.string({ maxLength: 8 }),
);
const cell = fc.oneof(word, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: false }));

describe('layout detection under random sheets (fast-check)', () => {
  it('never throws: every sheet gets a layout or a problem, every row a class', () => {
    fc.assert(fc.property(fc.option(fc.string({ maxLength: 10 })), fc.array(fc.array(cell, { maxLength: 20 }), { maxLength: 30 }), (sheet, rows) => {
      const raw = rows.map((cells, i) => ({ sheet, ref: `${sheet ?? ''}!${i + 1}`, line: i + 1, cells }));
      const layout = detectLayout(sheet, raw);
      layoutProblem(layout);
      if (layout.entity) describeLayout(layout);
      for (const row of raw) expect(typeof classifyRow(row.cells, layout)).toBe('string');
    }), { numRuns: 300 });
  });
});

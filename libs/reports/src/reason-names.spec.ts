import { reasonInChinese } from './reason-names';

describe('reasonInChinese', () => {
  it('keeps the Chinese of a bilingual reason and drops the detail that would split it', () => {
    const checkDigit = (d: string) => `校验码错误 (the check character does not match the other 17 digits: expected ${d}; kept as evidence, not as an identity)`;
    expect(new Set(['0', '7', 'X'].map((d) => reasonInChinese(checkDigit(d))))).toEqual(new Set(['校验码错误']));
    expect(reasonInChinese('身份证号位数不对 (17 digits)')).toBe('身份证号位数不对');
    expect(reasonInChinese('信用代码含非法字符 "…" (not allowed in GB 32100)')).toBe('信用代码含非法字符');
  });

  it('says the English reasons of rows, skipped rows, sheets and columns in Chinese', () => {
    expect(reasonInChinese('the name is missing')).toBe('缺少姓名');
    expect(reasonInChinese('subtotal')).toBe('小计或合计行');
    expect(reasonInChinese('no community named … is known (import the civil-affairs basics, S6, first)')).toBe('社区不在区划名录中（请先导入民政社区基本情况）');
    expect(reasonInChinese('sheet 下拉 holds no records: it is hidden: a hidden sheet holds lookups or drafts, not records to import'))
      .toBe('隐藏的工作表，存放下拉选项或草稿，不是待导入的记录');
    expect(reasonInChinese('sheet 楼栋情况: cannot find the required column 楼栋号 (buildingNo) for 楼栋 (building); headers seen on row 2: 小区, 单元数; kinds considered: 楼栋 (building) 0.70'))
      .toBe('缺少楼栋必需的列：楼栋号；表头为：小区、单元数');
    expect(reasonInChinese('联系人电话 (phone) was taken from 手机号, which fits better')).toBe('联系人电话已取自更合适的列 手机号');
    expect(reasonInChinese('no column for 公民身份号码 (idNumber), 联系电话 (phone), which a 党员花名册 usually has')).toBe('缺少党员花名册通常有的列：公民身份号码、联系电话');
  });

  it('leaves a reason it does not know as it is', () => {
    expect(reasonInChinese('something new')).toBe('something new');
  });
});

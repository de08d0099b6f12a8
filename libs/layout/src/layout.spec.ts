import type { CellValue, RawRow } from '@qc/readers';
import { existsSync } from 'fs';
import { join } from 'path';
import { assertLayout, classifyRow, describeLayout, detectLayout, LayoutError, layoutProblem } from './detect';
import { headerForms } from './normalize';
import { loadProfile, parseProfile, ProfileError, resolveSheetProfile } from './profile';

function sheet(name: string | null, rows: (CellValue[] | null)[], firstLine = 1): RawRow[] {
  const out: RawRow[] = [];
  rows.forEach((cells, i) => {
    const line = firstLine + i;
    if (cells) out.push({ sheet: name, ref: name ? `${name}!${line}` : String(line), line, cells });
  });
  return out;
}

const TITLE = '赛罕区人民路街道兴康社区党员花名册（2023年）';

describe('header normalisation', () => {
  it('folds full-width characters, spaces, line breaks and bracketed units', () => {
    expect(headerForms('户数（户）')).toEqual({ full: '户数户', base: '户数', inner: '户' });
    expect(headerForms('身份证\n号 码').full).toBe('身份证号码');
    expect(headerForms('姓　名*').full).toBe('姓名');
    expect(headerForms('书记（负责人）').inner).toBe('负责人');
  });
});

describe('detectLayout', () => {
  it('skips a merged title row and maps an S3 roster', () => {
    const rows = sheet('党员花名册', [
      [TITLE, TITLE, TITLE, TITLE, TITLE],
      ['序号', '姓名', '性别', '身份证号', '所属支部', '备注'],
      [1, '李海军', '男', '150105196606118597', '兴康社区党委'],
    ]);
    const l = detectLayout('党员花名册', rows);
    expect(l.entity).toBe('member-roster');
    expect(l.headerRows).toEqual([2]);
    expect(l.dataStartLine).toBe(3);
    expect(l.columns).toEqual({ seq: 0, name: 1, gender: 2, idNumber: 3, organization: 4, note: 5 });
    expect(l.titles).toEqual([TITLE]);
    expect(l.missingRequired).toEqual([]);
    expect(layoutProblem(l)).toBeNull();
  });

  it('combines a group row over sub-headers, with vertically merged cells empty below', () => {
    const rows = sheet('党员花名册', [
      [TITLE],
      ['填报单位：兴康社区党委　　填报日期：2023年12月31日'],
      ['序号', '基本信息', null, null, '党籍信息', null, '备注'],
      [null, '姓名', '性别', '出生年月', '入党时间', '人员类别', null],
      [1, '乌云', '女', '1977.08', '2021.12', '正式'],
    ]);
    const l = detectLayout('党员花名册', rows);
    expect(l.headerRows).toEqual([3, 4]);
    expect(l.dataStartLine).toBe(5);
    expect(l.columns).toMatchObject({ seq: 0, name: 1, gender: 2, birthDate: 3, joinDate: 4, category: 5, note: 6 });
    expect(l.titles).toHaveLength(2);
    expect(describeLayout(l)).toMatch(/^sheet 党员花名册: member-roster .*header on rows 3–4 \(groups: 基本信息, 党籍信息\), data from row 5; 序号 → seq, 姓名 → name, 性别 → gender/);
  });

  it('uses the group label to read sub-headers like 网格员 / 电话', () => {
    const rows = sheet('网格', [
      ['网格编码', '网格名称', '网格员', null],
      [null, null, '姓名', '电话'],
      ['150105001019001', '第一网格', '其木格', '18684768951'],
    ]);
    const l = detectLayout('网格', rows);
    expect(l.entity).toBe('grid');
    expect(l.headerRows).toEqual([1, 2]);
    expect(l.columns).toMatchObject({ gridCode: 0, gridName: 1, gridWorker: 2, gridWorkerPhone: 3 });
  });

  it('tolerates full-width, spaces, line breaks and units in headers, preferring exact words', () => {
    const rows = sheet(null, [
      ['社区\n代码', '社 区 名 称', '街道', '区', '户数（户）', '常住人口（人）', '少数民族人口', '联系户数'],
      ['150105001019', '兴康社区居委会', '人民路街道', '赛罕区', 2758, 7061, 1735, 3],
    ]);
    const l = detectLayout(null, rows);
    expect(l.entity).toBe('community-basics');
    expect(l.columns).toMatchObject({ communityCode: 0, communityName: 1, subdistrict: 2, district: 3, households: 4, residents: 5, minorityResidents: 6 });
    // "联系户数" contains "户数" but 户数 already went to the exact header
    expect(l.columns.households).toBe(4);
    expect(l.unmapped).toEqual(['联系户数']);
  });

  it.each([
    ['楼栋', ['小区名称', '楼栋号', '单元数', '户数', '所属网格', '楼栋长', '楼栋长电话', '是否党员', '楼栋党小组'], 'building'],
    ['党员中心户', ['户主姓名', '联系电话', '住址', '所属网格', '联系户数'], 'central-household'],
    ['组织架构', ['序号', '组织层级', '组织名称', '上级组织', '书记（负责人）', '联系电话', '党员人数'], 'org-structure'],
    ['2023年', ['序号', '物业企业名称', '统一社会信用代码', '党组织名称', '党组织类型', '党员人数', '党组织书记', '服务小区', '所属社区', '党组织成立时间', '联合党组织名称'], 'red-property'],
    ['Sheet1', ['序号', '姓名', '性别', '民族', '出生日期', '公民身份号码', '学历', '人员类别', '入党日期', '转正日期', '所在党组织', '联系电话', '工作单位', '现居住地'], 'member-roster'],
  ])('recognises the %s sheet', (name, header, entity) => {
    const l = detectLayout(name, sheet(name, [header, header.map(() => 'x1234')]));
    expect(l.entity).toBe(entity);
    expect(l.score).toBeGreaterThan(0.8);
    expect(l.candidates[0].entity).toBe(entity);
    expect(l.candidates[1].score).toBeLessThan(l.score);
    expect(l.unmapped).toEqual([]);
  });

  it('reports a missing required column with sheet, headers seen and what is missing', () => {
    const rows = sheet('楼栋', [['小区名称', '单元数', '户数', '楼栋长'], ['航苑小区', 6, 108, '吴旭']]);
    const l = detectLayout('楼栋', rows);
    expect(l.entity).toBe('building');
    expect(l.missingRequired).toEqual(['buildingNo']);
    const err = layoutProblem(l);
    expect(err).toBeInstanceOf(LayoutError);
    expect(err!.message).toBe('sheet 楼栋: cannot find the required column 楼栋号 (buildingNo) for 楼栋 (building); headers seen on row 1: 小区名称, 单元数, 户数, 楼栋长');
    expect(err!.headersSeen).toEqual(['小区名称', '单元数', '户数', '楼栋长']);
    expect(() => assertLayout(l)).toThrow(LayoutError);
  });

  it('keeps an exact header whose values are all mistyped, even when they look like another kind', () => {
    // 11-digit codes starting 15… read as mobile numbers: the rows must still reach validation and be rejected there.
    const rows = sheet(null, [['社区代码', '社区名称', '户数'], ['15010500101', '兴康社区居委会', 2758], ['15010500102', '河西社区居委会', 3534]]);
    expect(detectLayout(null, rows).columns).toMatchObject({ communityCode: 0, communityName: 1, households: 2 });
  });

  it('says so when no header row exists', () => {
    const rows = sheet('数据', [['随便写的'], [1, 2, 3], ['12345', '67890']]);
    const l = detectLayout('数据', rows);
    expect(l.entity).toBeNull();
    expect(l.headerRows).toEqual([]);
    expect(layoutProblem(l)!.message).toMatch(/^sheet 数据: no header row found in the first 30 rows/);
  });
});

describe('profiles', () => {
  const profile = parseProfile({
    name: 't',
    sheets: {
      花名册: { entity: 'member-roster', headerRows: [3], columns: { idNumber: 'D', phone: '手机（本人）', note: null } },
      '/^20\\d\\d年$/': { entity: 'red-property' },
    },
  });

  it('pins entity, header row and columns', () => {
    const rows = sheet('花名册', [[TITLE], ['说明：本表由社区填写'], ['名', '性', '号码', '证', '手机（本人）', '备注'], ['张三', '男', 'x', '150105196606118597', '139']]);
    const l = detectLayout('花名册', rows, profile);
    expect(l.profile).toBe('t');
    expect(l.headerRows).toEqual([3]);
    expect(l.columns.idNumber).toBe(3);
    expect(l.columns.phone).toBe(4);
    expect(l.columns.note).toBeUndefined();
  });

  it('matches sheets by regex and validates input', () => {
    expect(resolveSheetProfile(profile, '2022年')?.entity).toBe('red-property');
    expect(resolveSheetProfile(profile, '其他')?.entity).toBeUndefined();
    expect(() => parseProfile({ name: 'x', entity: 'people' })).toThrow(ProfileError);
    expect(() => parseProfile({ name: 'x', entity: 'grid', columns: { name: 1 } })).toThrow(/field "name" does not belong to grid/);
    expect(() => parseProfile({ name: 'x', headerRows: [0] })).toThrow(/headerRows/);
  });

  const example = join(__dirname, '../../../etl/profiles/example.json');
  (existsSync(example) ? it : it.skip)('loads etl/profiles/example.json', () => {
    const p = loadProfile(example);
    expect(p.name).toBe('example-community-ledger');
    const sp = resolveSheetProfile(p, '2021年');
    expect(sp?.entity).toBe('red-property');
    expect(resolveSheetProfile(p, '党员花名册')?.headerRows).toEqual([2, 3]);
  });
});

describe('classifyRow', () => {
  const rows = sheet('党员花名册', [[TITLE], ['序号', '姓名', '性别', '身份证号', '备注']]);
  const layout = detectLayout('党员花名册', rows);

  it.each<[string, CellValue[], string]>([
    ['data', [1, '张三', '男', '150105196606118597'], 'data'],
    ['sparse data (name only)', [null, '张三'], 'data'],
    ['blank', [null, '  ', '', null], 'blank'],
    ['小计', ['小计', '10人'], 'subtotal'],
    ['合 计 with spaces', [null, '合　计', '共314人'], 'subtotal'],
    ['第一网格小计', ['第一网格小计', null, null, 20], 'subtotal'],
    ['repeated header', ['序号', '姓名', '性别', '身份证号', '备注'], 'repeated-header'],
    ['merged footer', ['填表人：云勇　审核人：刘超', '填表人：云勇　审核人：刘超', '填表人：云勇　审核人：刘超'], 'note'],
    ['note that mentions 合计', ['注：已故党员不计入合计人数'], 'note'],
    ['single free note', ['说明：本表由社区填写'], 'note'],
  ])('%s', (_label, cells, kind) => {
    expect(classifyRow(cells, layout)).toBe(kind);
  });
});

const samples = '/work/shared/samples';
(existsSync(samples) ? describe : describe.skip)('on the shared samples (skipped when absent)', () => {
  it('finds the two-row header of the 河西 roster and counts its data rows', async () => {
    const { XlsxReader } = await import('@qc/readers');
    const r = new XlsxReader(join(samples, '新城区东街街道河西社区党建台账.xlsx'));
    const all: RawRow[] = [];
    for await (const row of r.rows(['党员花名册'])) all.push(row);
    const l = detectLayout('党员花名册', all.slice(0, 30));
    expect(l.headerRows).toEqual([2, 3]);
    const data = all.filter((x) => x.line >= l.dataStartLine && classifyRow(x.cells, l) === 'data');
    expect(data).toHaveLength(80);
  });
});

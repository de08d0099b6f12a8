import { citizenIdCheckChar } from '@qc/fields';
import type { CellValue, RawRow } from '@qc/readers';
import { Reason, reasonText } from '@qc/reasons';
import { detectLayout, sheetVerdict } from './detect';
import { headerForms } from './normalize';
import { valueKind } from './values';
import { COMMON_FIELDS, ENTITIES } from './vocabulary';

/*
 * Recognition of sheets the vocabulary has never seen. Every header word below is written the way
 * district staff write them but is NOT an entry of the product's vocabulary (asserted first), so a
 * passing test shows that the recogniser generalises rather than remembers.
 */

const COMMUNITY_WORDS = ['行政区划编码（12位）', '社区居委会全称', '所在街道办', '户 籍 户 数', '常住人口总数', '社区专职工作者人数'];
const MISSPELT_ROSTER_WORDS = ['党员名字', '身分证号码', '联系电化', '出身日期', '籍贯', '血型', '个人爱好', '所在基层党支部（全称）'];
const TWO_ROW_WORDS = ['党员基本情况', '联络方式', '党员名字', '公民身份证号码', '本人手机', '男或女'];
const BUILDING_LIKE_WORDS = ['所处小区', '单元个数', '住户总数', '楼长名字'];
const BARE_COMPOUND_WORDS = ['居住小区简称', '楼 号', '单元个数', '楼长名字'];
const UNKNOWN_LIST_WORDS = ['品名', '规格型号', '单价（元）'];
const COMPANY_LIST_WORDS = ['企业全称', '社会统一信用代码', '法定代表人', '办公电话'];
const MEANINGLESS = ['列1', '列2', '列3', '列4', '列5', '列6'];

describe('the test words are not the product vocabulary', () => {
  const entries = new Set([...ENTITIES.flatMap((e) => e.fields), ...COMMON_FIELDS].flatMap((f) => f.synonyms).map((w) => headerForms(w).full));
  it.each([...COMMUNITY_WORDS, ...MISSPELT_ROSTER_WORDS, ...TWO_ROW_WORDS, ...BUILDING_LIKE_WORDS, ...BARE_COMPOUND_WORDS.slice(0, 1), ...UNKNOWN_LIST_WORDS, ...COMPANY_LIST_WORDS, ...MEANINGLESS])('%s', (word) => {
    const forms = headerForms(word);
    expect([forms.full, forms.base].filter((f) => entries.has(f))).toEqual([]);
  });
});

function sheet(name: string | null, rows: (CellValue[] | null)[]): RawRow[] {
  return rows.flatMap((cells, i) => (cells ? [{ sheet: name, ref: name ? `${name}!${i + 1}` : String(i + 1), line: i + 1, cells }] : []));
}

/** A valid 18-digit citizen ID born on the given day. */
function citizenId(birth: string, serial: number): string {
  const first17 = `150105${birth}${String(serial).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const PEOPLE: CellValue[][] = [
  ['李海军', citizenId('19660611', 859), '13904711234', '男', '1966-06-11', '兴康社区第一网格党支部'],
  ['乌云·其其格', citizenId('19770802', 402), '15847123456', '女', '1977-08-02', '兴康社区第二网格党支部'],
  ['张伟', citizenId('19850312', 113), '18604719876', '男', '1985-03-12', '兴康社区第一网格党支部'],
  ['王秀兰', citizenId('19520109', 228), '13347125555', '女', '1952-01-09', '兴康社区第三网格党支部'],
];

describe('recognition from words it was never given', () => {
  it('reads a community sheet by the parts of its words, the community-worker count included', () => {
    const l = detectLayout(null, sheet(null, [COMMUNITY_WORDS, ['150105001019', '兴康社区居委会', '人民路街道', 2758, 7061, 9], ['150105001020', '地北社区居委会', '人民路街道', 1980, 5023, 7]]));
    expect(l.entity).toBe('community-basics');
    expect(l.columns).toEqual({ communityCode: 0, communityName: 1, subdistrict: 2, households: 3, residents: 4, fullTimeWorkers: 5 });
    expect(l.ignored).toEqual([]);
    expect(sheetVerdict(l)).toEqual({ action: 'import' });
  });

  it('reads a roster whose headers say nothing from its values alone', () => {
    const l = detectLayout('Sheet1', sheet('Sheet1', [MEANINGLESS, ...PEOPLE]));
    expect(l.entity).toBe('member-roster');
    expect(l.columns).toMatchObject({ name: 0, idNumber: 1, phone: 2, gender: 3, organization: 5 });
    expect(l.evidence).toMatchObject({ name: 'values', idNumber: 'values', phone: 'values', gender: 'values' });
    // three date fields fit a date column equally: said as a warning
    expect(l.warnings.map(reasonText).join('\n')).toMatch(/列5 could be .* or /);
    expect(sheetVerdict(l)).toEqual({ action: 'import' });
  });

  it('reads misspelt, reordered headers and accounts for the useless extra columns', () => {
    const order = [7, 4, 0, 5, 1, 2, 3, 6];
    const row = (p: CellValue[]) => {
      const wide = [p[0], p[1], p[2], p[4], '内蒙古', 'O型', '书法', p[5]];
      return order.map((i) => wide[i]);
    };
    const header = order.map((i) => MISSPELT_ROSTER_WORDS[i]);
    const l = detectLayout('党员', sheet('党员', [header, ...PEOPLE.map(row)]));
    expect(l.entity).toBe('member-roster');
    const byHeader = Object.fromEntries(Object.entries(l.columns).map(([f, c]) => [l.headers[c], f]));
    expect(byHeader).toEqual({ 党员名字: 'name', 身分证号码: 'idNumber', 联系电化: 'phone', 出身日期: 'birthDate', '所在基层党支部（全称）': 'organization' });
    expect(l.ignored.map((i) => i.header).sort()).toEqual(['个人爱好', '籍贯', '血型']);
    for (const i of l.ignored) expect(reasonText(i.reason)).toMatch(/no field of 党员花名册|reads only weakly|which fits better/);
  });

  it('combines a two-row header and takes an ID column by its values whatever the header says', () => {
    const [group1, group2, name, id, phone, gender] = TWO_ROW_WORDS;
    const rows = sheet('名单', [
      ['兴康社区党员名单（2024年）'],
      [group1, null, null, group2],
      [name, gender, id, phone],
      ...PEOPLE.map((p) => [p[0], p[3], p[1], p[2]]),
    ]);
    const l = detectLayout('名单', rows);
    expect(l.headerRows).toEqual([2, 3]);
    expect(l.columns).toMatchObject({ name: 0, gender: 1, idNumber: 2, phone: 3 });

    // the same sheet with the ID and phone headers swapped: the values decide
    const swapped = detectLayout('名单', sheet('名单', [[name, '联系手机', '身份证'], ...PEOPLE.map((p) => [p[0], p[1], p[2]])]));
    expect(swapped.columns).toMatchObject({ name: 0, idNumber: 1, phone: 2 });
  });

  it('does not take a count of buildings for the building number', () => {
    const l = detectLayout('Sheet1', sheet('Sheet1', [['小区', '楼栋数'], ['航苑小区', 12], ['建设嘉园', 8]]));
    expect(l.columns.buildingNo).toBeUndefined();
    const list = detectLayout('Sheet1', sheet('Sheet1', [['所在小区', '楼 号', '单元个数'], ['航苑小区', '8号楼', 3], ['航苑小区', '9#', 2], ['建设嘉园', '十栋', 4]]));
    expect(list.entity).toBe('building');
    expect(list.columns).toMatchObject({ compound: 0, buildingNo: 1, unitCount: 2 });
  });

  it('lets the header decide a compound column whose names are written without 小区/花园 (they read as bare words)', () => {
    const l = detectLayout('Sheet1', sheet('Sheet1', [BARE_COMPOUND_WORDS, ['金穗', '１号楼', 2, '白玉'], ['金穗', '第二栋', 3, '胡斌'], ['枫林', '3号楼', 2, '陶然'], ['枫林', '4#', 4, '那日苏']]));
    expect(l.entity).toBe('building');
    expect(l.columns).toMatchObject({ compound: 0, buildingNo: 1 });
  });
});

describe('sheets refused or skipped, with the reason', () => {
  it('refuses a sheet that fits a kind but lacks its required column, listing headers and kinds', () => {
    const l = detectLayout('楼栋情况', sheet('楼栋情况', [BUILDING_LIKE_WORDS, ['航苑小区', 6, 108, '吴旭'], ['建设嘉园', 4, 64, '刘超']]));
    const v = sheetVerdict(l);
    expect(v.action).toBe('refuse');
    const reason = reasonText((v as { reason: Reason }).reason);
    expect(reason).toContain('sheet 楼栋情况');
    expect(reason).toContain(BUILDING_LIKE_WORDS.join(', '));
    expect(reason).toMatch(/kinds considered: 楼栋 \(building\) \d\.\d\d, lacks 楼栋号 \(buildingNo\)/);
  });

  it('does not take a list of property companies for a red-property ledger: no column speaks of a party organization', () => {
    const rows = sheet('物业企业名录', [
      COMPANY_LIST_WORDS,
      ['日富物业服务有限责任公司', '91150105MA0N1A2B3C', '赵磊', '0471-6612345'],
      ['安泰物业管理有限公司', '91150105MA0N1A2B4D', '钱明', '0471-6654321'],
    ]);
    const l = detectLayout('物业企业名录', rows);
    expect(l.columns).toMatchObject({ companyName: 0, creditCode: 1 });
    const v = sheetVerdict(l);
    expect(v.action).not.toBe('import');
    expect(reasonText((v as { reason: Reason }).reason)).toMatch(/党组织名称 \(orgName\) or 党组织类型 \(orgType\) or/);
  });

  it('refuses a sheet that two kinds fit almost equally', () => {
    const l = detectLayout('Sheet1', sheet('Sheet1', [['户主名字', '联系手机'], ['张伟', '13904711234'], ['王秀兰', '13347125555']]));
    expect(sheetVerdict(l, 2).action).toBe('refuse');
    expect(reasonText((sheetVerdict(l, 2) as { reason: Reason }).reason)).toMatch(/almost equally .*headers 户主名字, 联系手机/);
  });

  it.each<[string, (CellValue[] | null)[]]>([
    ['填表说明', [['填表说明'], ['1. 身份证号请填写18位'], ['2. 日期格式为2023-01-01']]],
    ['目录', [['序', '表名'], ['一', '党员花名册'], ['二', '组织架构']]],
    ['Sheet3', []],
    ['物资', [UNKNOWN_LIST_WORDS, ['打印纸', 'A4', 25], ['签字笔', '0.5mm', 2]]],
  ])('skips %s: it holds no records', (name, rows) => {
    const v = sheetVerdict(detectLayout(name, sheet(name, rows)));
    expect(v.action).toBe('skip');
    expect(reasonText((v as { reason: Reason }).reason)).toMatch(new RegExp(`^sheet ${name} holds no records`));
  });
});

describe('value kinds', () => {
  it.each<[CellValue, string]>([
    [citizenId('19660611', 859), 'citizenId'],
    ['150105001019', 'divisionCode'],
    ['91150105MA0N1A2B3C', 'creditCode'],
    ['139 0471 1234', 'phone'],
    ['2023.12.31', 'date'],
    [new Date(Date.UTC(2020, 0, 1)), 'date'],
    ['10号楼', 'building'],
    ['3#', 'building'],
    ['十栋', 'building'],
    ['兴康社区第一网格党支部', 'organization'],
    ['日富物业服务有限责任公司', 'company'],
    ['第1网格', 'grid'],
    ['汉族', 'ethnicity'],
    ['女', 'gender'],
    ['预备党员', 'partyCategory'],
    [42, 'count'],
    ['乌云·其其格', 'personName'],
    ['赵磊', 'personName'],
    ['安泰园第7栋3单元602', 'address'],
    ['新华东街33号', 'address'],
  ])('%s is %s', (value, kind) => {
    expect(valueKind(value)).toBe(kind);
  });
});

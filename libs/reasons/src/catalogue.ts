/**
 * Every reason the importers give for a row rejected, skipped or warned about, a sheet skipped or
 * refused, a column unused or a file refused: a stable code, the parameters it was made with, and
 * here, in one place, its English text (what the API, the CLI and the logs say, stored with the row)
 * and its Chinese text (what the quality report and the workbench say to officials). The Chinese
 * leaves out details that would split one reason into many report lines (a digit count, a score, a
 * cell's value). Parameters never hold an ID number or a phone.
 *
 * No imports: the workbench (apps/web) bundles this file as it is.
 */

interface Texts<P> {
  en: (p: P) => string;
  zh: (p: P) => string;
}

type NoParams = Record<string, never>;

function texts<P extends object = NoParams>(en: (p: P) => string, zh: (p: P) => string): Texts<P> {
  return { en, zh };
}

/** A reason written "中文 (English detail)": its Chinese is the part before the parentheses. */
function bilingual<P extends object = NoParams>(chinese: string, detail: (p: P) => string): Texts<P> {
  return texts((p) => `${chinese} (${detail(p)})`, () => chinese);
}

/** 姓名 (name), 公民身份号码 (idNumber) → 姓名、公民身份号码. */
function labels(fields: string[]): string {
  return fields.map((f) => f.replace(/ \(\w+\)/g, '')).join('、').replace(/ or /g, '或');
}

const shown = (fields: string[]) => (fields.length ? fields.join(', ') : '(none)');

/** A reason inside another's parameters (each sheet's, in a file's); typed loosely, as stored. */
interface NestedReason {
  code: string;
  params: object;
}

function nested(reason: NestedReason, language: keyof Texts<object>): string {
  return isReasonCode(reason.code) ? (REASONS[reason.code][language] as (p: object) => string)(reason.params) : reason.code;
}

export const REASONS = {
  // Cells (libs/fields). Reasons never quote an ID number or a phone.
  'empty-cell': bilingual('空值', () => 'empty cell'),
  'unexpected-cell': texts((p: { kind: string }) => `unexpected ${p.kind}`, () => '单元格内容类型不对'),
  'credit-code-length': bilingual('信用代码应为18位', (p: { length: number }) => `expected 18 characters, got ${p.length}`),
  'credit-code-character': texts((p: { character: string }) => `信用代码含非法字符 "${p.character}" (not allowed in GB 32100)`, () => '信用代码含非法字符'),
  'date-object-invalid': texts(() => 'invalid Date object', () => '不是日期'),
  'not-a-date': texts((p: { value: string }) => `not a date: ${p.value}`, () => '不是日期'),
  'excel-serial-60': texts(() => 'Excel serial 60 is 1900-02-29, which does not exist', () => '日期不存在'),
  'date-unrecognised': bilingual('无法识别的日期', (p: { value: string }) => `unrecognised date: ${p.value}`),
  'year-out-of-range': texts((p: { year: number }) => `year ${p.year} out of range`, () => '年份超出范围'),
  'date-nonexistent': bilingual('日期不存在', (p: { problem: string }) => p.problem),
  'phone-empty': bilingual('电话号码为空', () => 'no number in the cell'),
  'phone-not-digits': bilingual('电话号码含非数字字符', () => 'not a phone number: it holds characters other than digits'),
  'phone-length': bilingual('电话号码位数或格式不对', (p: { digits: number }) => `not a mobile or landline number: ${p.digits} digits`),
  'building-unrecognised': bilingual('无法识别的楼栋号', (p: { value: string }) => `unrecognised building number "${p.value}"`),
  'id-format': bilingual('身份证号格式不对', (p: { length: number }) => `expected 18 or 15 digits, got ${p.length} characters`),
  'id-not-integer': bilingual('身份证号不是整数', (p: { value: number }) => `not an ID number: ${p.value}`),
  'id-digit-count': bilingual('身份证号位数不对', (p: { digits: number }) => `${p.digits} digits`),
  'id-15-truncated': bilingual('15位身份证号被截断', () => '15-digit ID lost digits'),
  'id-masked-format': bilingual('打码身份证号格式不对', (p: { length: number }) => `unreadable masked ID of ${p.length} characters`),
  'id-region': bilingual('地区码错误', (p: { province: string }) => `no province ${p.province}`),
  'id-birth-year': bilingual('出生日期错误', (p: { year: number }) => `birth year ${p.year}`),
  'id-birth-date': bilingual('出生日期错误', (p: { problem: string }) => `birth date: ${p.problem}`),
  'id-birth-future': bilingual('出生日期错误', (p: { date: string }) => `birth date ${p.date} is in the future`),
  'id-check-character': bilingual('校验码错误', () => 'the check character does not match the other 17 digits: a typing error; kept as evidence, not as an identity'),
  'ethnic-unrecognised': bilingual('无法识别的民族', (p: { value: string }) => `unrecognised ethnic group "${p.value}"`),
  'gender-unrecognised': bilingual('无法识别的性别', (p: { value: string }) => `unrecognised gender "${p.value}"`),
  'member-category-unrecognised': bilingual('无法识别的党员类别', (p: { value: string }) => `unrecognised member category "${p.value}"`),
  'not-a-count': bilingual('不是数量', (p: { value: string }) => `not a count: "${p.value}"`),
  'not-whole-number': bilingual('不是整数', (p: { value: string }) => `not a whole number: ${p.value}`),
  'negative-count': bilingual('数量不能为负', (p: { value: string }) => `negative count: ${p.value}`),
  'not-a-percentage': bilingual('不是百分比', (p: { value: string }) => `not a percentage: "${p.value}"`),
  'not-a-share': bilingual('不是比例', (p: { value: number }) => `not a share: ${p.value}`),
  'share-above-100': bilingual('比例超过100%', (p: { value: number }) => `share above 100%: ${p.value}`),
  // Division codes (libs/divisions, the S6 source).
  'division-code-not-digits': texts((p: { input: string }) => `division code "${p.input}" must contain digits only`, () => '区划代码只能由数字组成'),
  'division-code-length': texts((p: { input: string }) => `division code "${p.input}" must have 12 digits or a significant prefix of 4, 6 or 9 digits`, () => '区划代码位数不对'),
  'division-outside-hohhot': texts((p: { code: string }) => `code ${p.code} is not in Hohhot (Hohhot codes begin with 1501)`, () => '区划代码不属于呼和浩特市'),
  'division-not-community': texts((p: { code: string; level: string }) => `code ${p.code} names a ${p.level}, not a community`, () => '区划代码不是社区一级'),
  'division-unlisted': texts(
    (p: { code: string; parent: string }) => `code ${p.code} is not a community of Hohhot: neither it nor its subdistrict ${p.parent} is in the division list`,
    () => '区划代码不在呼和浩特市区划名录中',
  ),
  // Rows (libs/ingestion sources, libs/registry directories).
  'name-missing': texts(() => 'the name is missing', () => '缺少姓名'),
  'company-name-missing': texts(() => 'the company name is missing', () => '缺少物业公司名称'),
  'compound-name-missing': texts(() => 'the compound name is missing', () => '缺少小区名称'),
  'compound-missing': texts(() => 'the compound is missing', () => '缺少小区'),
  'organization-name-missing': texts(() => 'the organization name is missing', () => '缺少党组织名称'),
  'organization-id-missing': texts(() => 'the organization has no orgId', () => '党组织缺少编号'),
  'organization-no-name': texts(() => 'the organization has no name', () => '党组织缺少名称'),
  'householder-missing': texts(() => 'a central household row needs the householder', () => '党员中心户缺少户主'),
  'built-year-invalid': texts((p: { value: string }) => `"${p.value}" is no year a compound can have been built in`, () => '建成年份不是有效年份'),
  'compound-unnamed': texts((p: { name: string }) => `"${p.name}" does not name a compound`, () => '读不出小区名称'),
  'organization-unnamed': texts((p: { name: string }) => `"${p.name}" does not name an organization`, () => '读不出党组织名称'),
  'grid-number-unreadable': texts((p: { value: string }) => `no grid number can be read from "${p.value}"`, () => '读不出网格编号'),
  'person-unidentified': texts(
    () => 'the row gives a name and nothing readable that tells who it is (no ID, birth date, phone, address or organization): it identifies no one',
    () => '只有姓名，没有可识别身份的信息（身份证号、出生日期、电话、住址或组织）',
  ),
  'role-holder-unknown': texts(
    (p: { role: string; name: string }) => `${p.role} ${p.name} names no one of that name in the registry's scope`,
    () => '职务人员在登记范围内查无此人',
  ),
  'role-holder-ambiguous': texts(
    (p: { role: string; name: string; persons: number }) =>
      `${p.role} ${p.name} (no phone or ID) may be any of ${p.persons} persons of that name: the role stays unassigned until a record tells them apart`,
    () => '职务人员有多个同名者（无电话或身份证号），职务暂不分配，待审核确定',
  ),
  'id-held-under-other-name': texts(
    (p: { holder: string; name: string }) =>
      `the ID number is already ${p.holder}'s in the registry, a name that cannot be ${p.name}'s: not merged by the ID; ${p.name} stays a person of their own until a reviewer decides`,
    () => '身份证号已登记在另一姓名下：未按身份证号合并，待审核确定',
  ),
  'record-invalid': texts((p: { constraints: string[] }) => p.constraints.join('; '), () => '内容不符合要求'),
  'undecodable-bytes': texts(
    (p: { column: string }) => `${p.column} holds bytes that cannot be decoded in the file's encoding (a row in another encoding?); re-save the file in one encoding`,
    () => '含有按文件编码无法识读的字符（可能混入了另一种编码的行），请统一编码后另存',
  ),
  // Communities named by a row (libs/registry place directory).
  'community-not-named': texts(() => 'no community is named', () => '没有填写社区'),
  'community-not-in-address': texts((p: { address: string }) => `no community is named in "${p.address}"`, () => '地址中没有写明社区'),
  'community-unknown': texts(
    (p: { name: string }) => `no community named ${p.name} is known (import the civil-affairs basics, S6, first)`,
    () => '社区不在区划名录中（请先导入民政社区基本情况）',
  ),
  'community-ambiguous': texts(
    (p: { name: string; codes: string[] }) => `${p.name} names ${p.codes.length} communities (${p.codes.join(', ')}); give its street`,
    () => '社区名称对应多个社区，请写明街道',
  ),
  // Rows skipped (the row kinds of libs/layout, stored as source_record.skip_reason).
  blank: texts(() => 'blank', () => '空行'),
  subtotal: texts(() => 'subtotal', () => '小计或合计行'),
  'repeated-header': texts(() => 'repeated-header', () => '重复的表头行'),
  note: texts(() => 'note', () => '注释或说明行'),
  // Sheets skipped or refused (libs/layout, the stage).
  'sheet-hidden': texts(
    (p: { sheet: string | null }) => `sheet ${p.sheet} holds no records: it is hidden: a hidden sheet holds lookups or drafts, not records to import`,
    () => '隐藏的工作表，存放下拉选项或草稿，不是待导入的记录',
  ),
  'sheet-empty': texts((p: { sheet: string | null }) => `sheet ${p.sheet} holds no records: it is empty`, () => '空工作表'),
  'sheet-without-header': texts(
    (p: { where: string; rows: number }) => `${p.where} holds no records: no header row in the first ${p.rows} rows (only text, notes or nothing)`,
    (p) => `前 ${p.rows} 行中没有表头行，只有文字、说明或空白`,
  ),
  'sheet-instructions': texts(
    (p: { where: string; considered: string }) => `${p.where} holds no records: its name says instructions, contents or a chart, and it fits no kind well (${p.considered})`,
    () => '表名表明是说明、目录或图表，内容也不符合任何表格类型',
  ),
  'sheet-unknown-kind': texts(
    (p: { where: string; headers: string[]; considered: string }) => `${p.where} holds no records of a kind the registry knows: headers ${shown(p.headers)}; kinds considered: ${p.considered}`,
    (p) => `不是登记册能读的表格类型，表头为：${shown(p.headers)}`,
  ),
  'header-not-found': texts(
    (p: { where: string; rows: number; considered?: string }) =>
      `${p.where}: no header row found in the first ${p.rows} rows (looked for words such as 姓名, 身份证号, 网格名称, 组织名称, 物业企业名称, 社区名称)${p.considered === undefined ? '' : `; kinds considered: ${p.considered}`}`,
    (p) => `前 ${p.rows} 行中没有找到表头行`,
  ),
  'required-column-missing': texts(
    (p: { where: string; missing: string[]; kind: string | null; label: string | null; headerRows: string; headers: string[]; considered?: string }) =>
      `${p.where}: cannot find the required column ${p.missing.join(', ')} for ${p.kind === null ? 'this sheet' : `${p.label} (${p.kind})`}; headers seen on ${p.headerRows}: ${shown(p.headers)}${p.considered === undefined ? '' : `; kinds considered: ${p.considered}`}`,
    (p) => `缺少${p.label ?? '此表'}必需的列：${labels(p.missing)}；表头为：${p.headers.length ? labels(p.headers) : '无'}`,
  ),
  'sheet-ambiguous-kind': texts(
    (p: { where: string; first: string; firstKind: string; firstScore: string; second: string; secondKind: string; secondScore: string; margin: string; needs: string; headers: string[] }) =>
      `${p.where} fits ${p.first} (${p.firstKind}, ${p.firstScore}) and ${p.second} (${p.secondKind}, ${p.secondScore}) almost equally (margin ${p.margin}, needs ${p.needs}); headers ${shown(p.headers)}; pin the kind in a layout profile`,
    (p) => `既像${p.first}又像${p.second}，无法确定表格类型`,
  ),
  'source-column-missing': texts(
    (p: { where: string; missing: string[]; label: string; headers: string[] }) => `${p.where}: cannot find the required column ${p.missing.join(', ')}; headers seen: ${p.headers.join(', ')}`,
    (p) => `缺少${p.label}必需的列：${labels(p.missing)}；表头为：${p.headers.length ? labels(p.headers) : '无'}`,
  ),
  'kind-not-importable': texts((p: { where: string; kind: string; label: string }) => `${p.where}: sheets of ${p.kind} cannot be imported yet`, (p) => `${p.label}暂不能导入`),
  // Files refused as a whole (the stage; the readers' own refusals).
  'file-without-rows': texts((p: { file: string }) => `${p.file}: the file holds no rows`, () => '文件中没有数据行'),
  'file-sheet-refused': texts(
    (p: { file: string; sheet: NestedReason }) => {
      const text = nested(p.sheet, 'en');
      return text.startsWith(p.file) ? text : `${p.file}, ${text}`;
    },
    (p) => nested(p.sheet, 'zh'),
  ),
  'file-without-records': texts(
    (p: { file: string; sheets: NestedReason[] }) => `${p.file}: no sheet holds records the registry can read: ${p.sheets.map((r) => nested(r, 'en')).join('; ')}`,
    (p) => `没有一个工作表含有登记册能读取的记录：${p.sheets.map((r) => nested(r, 'zh')).join('；')}`,
  ),
  'file-unreadable': texts((p: { message: string }) => p.message, (p) => `文件无法读取（${p.message}）`),
  // Columns a sheet's rows were not read through, and doubts about the ones they were (libs/layout).
  'column-unknown': texts((p: { label: string }) => `no field of ${p.label} reads like this header or its values`, () => '表头和内容都不对应任何字段'),
  'column-unknown-values': texts((p: { label: string }) => `no header, and its values fit no field of ${p.label}`, () => '没有表头，内容也不对应任何字段'),
  'column-left-out': texts((p: { field: string; fieldLabel: string }) => `${p.fieldLabel} (${p.field}) is left out by the layout profile`, (p) => `${p.fieldLabel}：这类表格不读此列`),
  'column-taken-elsewhere': texts(
    (p: { field: string; fieldLabel: string; taker: string }) => `${p.fieldLabel} (${p.field}) was taken from ${p.taker}, which fits better`,
    (p) => `${p.fieldLabel}已取自更合适的列 ${p.taker}`,
  ),
  'column-weak': texts(
    (p: { field: string; fieldLabel: string; score: string }) => `reads only weakly as ${p.fieldLabel} (${p.field}, score ${p.score})`,
    (p) => `与“${p.fieldLabel}”相似度不够`,
  ),
  'column-ambiguous': texts(
    (p: { column: string; field: string; fieldLabel: string; rival: string; rivalLabel: string }) =>
      `${p.column} could be ${p.fieldLabel} (${p.field}) or ${p.rivalLabel} (${p.rival}); taken as ${p.field}`,
    (p) => `${p.column} 既像${p.fieldLabel}又像${p.rivalLabel}，按${p.fieldLabel}读取`,
  ),
  'key-columns-missing': texts(
    (p: { fields: string[]; label: string }) => `no column for ${p.fields.join(', ')}, which a ${p.label} usually has`,
    (p) => `缺少${p.label}通常有的列：${labels(p.fields)}`,
  ),
};

export type ReasonCode = keyof typeof REASONS;
export type ReasonParams<C extends ReasonCode> = (typeof REASONS)[C] extends Texts<infer P> ? P : never;
/** Why, as a code and the parameters its texts are made from. */
export type Reason = { [C in ReasonCode]: { code: C; params: ReasonParams<C> } }[ReasonCode];

/** The reason with this code, made with these parameters (none for a reason that takes none). */
export function because<C extends ReasonCode>(
  code: C,
  ...params: ReasonParams<C> extends NoParams ? [] : [ReasonParams<C>]
): Extract<Reason, { code: C }> {
  return { code, params: params[0] ?? {} } as Extract<Reason, { code: C }>;
}

function say(reason: Reason, language: keyof Texts<object>): string {
  return (REASONS[reason.code][language] as (p: object) => string)(reason.params);
}

/** The reason in English: the text stored with a row and returned by the API. */
export function reasonText(reason: Reason): string {
  return say(reason, 'en');
}

/** The reason in Chinese, as the quality report and the workbench say it. */
export function reasonInChinese(reason: Reason): string {
  return say(reason, 'zh');
}

/** A reason as it is stored (a row's columns, a sheet's account) and served: its English text, code and parameters. */
export interface StoredReason {
  reason: string;
  reasonCode: string | null;
  reasonParams: object | null;
}

export function toStored(reason: Reason): StoredReason {
  return { reason: reasonText(reason), reasonCode: reason.code, reasonParams: reason.params };
}

export function isReasonCode(code: string): code is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASONS, code);
}

/**
 * What a stored reason says in Chinese. Rows stored before reasons had codes (or a code this
 * version no longer knows) say their stored English: it was never translated again.
 */
export function storedInChinese(stored: { reason: string | null; reasonCode?: string | null; reasonParams?: object | null }): string {
  const { reasonCode: code } = stored;
  if (code && isReasonCode(code)) return reasonInChinese({ code, params: stored.reasonParams ?? {} } as Reason);
  return stored.reason ?? '';
}

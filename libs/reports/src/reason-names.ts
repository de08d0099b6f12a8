/**
 * The quality report's words for why a row was rejected, skipped or warned about, why a sheet was
 * skipped or refused and why a column went unused. The importers write their reasons in English (or
 * "中文 (English detail)") for the API and the logs; the report, printed for officials, says them
 * in Chinese, one wording per reason: the details that would split one reason into many lines (the
 * expected check digit, a digit count, a score) are left out.
 */
const PATTERNS: readonly [RegExp, (m: RegExpExecArray) => string][] = [
  // Rows.
  [/^the name is missing$/, () => '缺少姓名'],
  [/^the company name is missing$/, () => '缺少物业公司名称'],
  [/^the compound name is missing$/, () => '缺少小区名称'],
  [/^the compound is missing$/, () => '缺少小区'],
  [/^the organization name is missing$/, () => '缺少党组织名称'],
  [/^the organization has no orgId$/, () => '党组织缺少编号'],
  [/^the organization has no name$/, () => '党组织缺少名称'],
  [/^a central household row needs the householder$/, () => '党员中心户缺少户主'],
  [/is no year a compound can have been built in$/, () => '建成年份不是有效年份'],
  [/does not name a compound$/, () => '读不出小区名称'],
  [/does not name an organization$/, () => '读不出党组织名称'],
  [/^no grid number can be read from/, () => '读不出网格编号'],
  [/^(\S+) .* names no one of that name in the registry's scope$/, (m) => `${m[1]}在登记范围内查无此人`],
  [/holds bytes that cannot be decoded/, () => '含有按文件编码无法识读的字符（可能混入了另一种编码的行），请统一编码后另存'],
  [/^no community is named in /, () => '地址中没有写明社区'],
  [/^no community is named$/, () => '没有填写社区'],
  [/^no community named .* is known/, () => '社区不在区划名录中（请先导入民政社区基本情况）'],
  [/names \d+ communities .*give its street$/, () => '社区名称对应多个社区，请写明街道'],
  [/^code .* is not in Hohhot/, () => '区划代码不属于呼和浩特市'],
  [/^code .* names a .*, not a community$/, () => '区划代码不是社区一级'],
  [/^code .* is not a community of Hohhot/, () => '区划代码不在呼和浩特市区划名录中'],
  [/^division code .* must contain digits only$/, () => '区划代码只能由数字组成'],
  [/^division code .* must have 12 digits/, () => '区划代码位数不对'],
  [/^invalid Date object$|^not a date/, () => '不是日期'],
  [/^Excel serial 60 /, () => '日期不存在'],
  [/^year .* out of range$/, () => '年份超出范围'],
  [/^unexpected /, () => '单元格内容类型不对'],
  // Skipped rows (the row kinds of libs/layout).
  [/^blank$/, () => '空行'],
  [/^subtotal$/, () => '小计或合计行'],
  [/^repeated-header$/, () => '重复的表头行'],
  [/^note$/, () => '注释或说明行'],
  // Sheets.
  [/holds no records: it is hidden/, () => '隐藏的工作表，存放下拉选项或草稿，不是待导入的记录'],
  [/holds no records: it is empty$/, () => '空工作表'],
  [/holds no records: no header row in the first (\d+) rows/, (m) => `前 ${m[1]} 行中没有表头行，只有文字、说明或空白`],
  [/holds no records: its name says instructions/, () => '表名表明是说明、目录或图表，内容也不符合任何表格类型'],
  [/holds no records of a kind the registry knows: headers (.*); kinds considered/, (m) => `不是登记册能读的表格类型，表头为：${m[1]}`],
  [/fits (\S+) \(.*\) and (\S+) \(.*\) almost equally/, (m) => `既像${m[1]}又像${m[2]}，无法确定表格类型`],
  [/cannot find the required column (.*) for (\S+)(?: \(\w+\))?; headers seen on [^:]*: (.*?); kinds considered/,
    (m) => `缺少${m[2]}必需的列：${labels(m[1])}；表头为：${labels(m[3])}`],
  [/no header row found in the first (\d+) rows/, (m) => `前 ${m[1]} 行中没有找到表头行`],
  // Columns a sheet's rows were not read through, and doubts about the ones they were.
  [/^no field of .* reads like this header or its values$/, () => '表头和内容都不对应任何字段'],
  [/^no header, and its values fit no field of /, () => '没有表头，内容也不对应任何字段'],
  [/^(\S+) \(\w+\) is left out by the layout profile$/, (m) => `${m[1]}：这类表格不读此列`],
  [/^(\S+) \(\w+\) was taken from (.*), which fits better$/, (m) => `${m[1]}已取自更合适的列 ${m[2]}`],
  [/^reads only weakly as (\S+) \(/, (m) => `与“${m[1]}”相似度不够`],
  [/^(.*) could be (\S+) \(\w+\) or (\S+) \(\w+\); taken as /, (m) => `${m[1]} 既像${m[2]}又像${m[3]}，按${m[2]}读取`],
  [/^no column for (.*), which a (\S+) usually has$/, (m) => `缺少${m[2]}通常有的列：${labels(m[1])}`],
];

/** 姓名 (name), 公民身份号码 (idNumber) or 联系电话 (phone) → 姓名、公民身份号码或联系电话. */
function labels(text: string): string {
  return text.replace(/ \(\w+\)/g, '').replace(/\(none\)/g, '无').replace(/, /g, '、').replace(/ or /g, '或');
}

/** A reason that starts in Chinese and explains itself in English in parentheses: the Chinese is the reason. */
const BILINGUAL = /^([^\x00-\x7F][^(]*?)\s*[（(][\x00-\x7F]/;

/** The reason in Chinese (see above); a reason no pattern knows is returned as it is. */
export function reasonInChinese(reason: string): string {
  const text = reason.trim();
  for (const [pattern, say] of PATTERNS) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  const bilingual = BILINGUAL.exec(text);
  return bilingual ? bilingual[1].replace(/\s*["“][^"”]*["”]/g, '') : text;
}

/**
 * The words the drift mode writes into headers, sheet names and sheets that hold no records. They are
 * kept apart from the product's own vocabulary (libs/layout/src/vocabulary.ts): vocabulary.spec.ts
 * asserts that no header word here is an exact product entry once the product has normalised it, so a
 * drifted city that imports well shows recognition that generalises rather than a list that remembers.
 * Spacing, full-width forms and bracketed notes are not listed: cosmetics.ts applies them on top.
 */

/**
 * The kinds of table the generator writes, each with its fields in the base generator's order (the roster's
 * fields are shared by S1 and the ledgers, which each write part of them in an order of their own).
 */
export const TABLE_FIELDS = {
  roster: ['seq', 'name', 'gender', 'ethnicity', 'birthDate', 'idNumber', 'education', 'category', 'joinDate', 'regularDate', 'organization', 'phone', 'workplace', 'residence', 'note'],
  orgStructure: ['seq', 'level', 'orgName', 'parentOrg', 'leader', 'leaderPhone', 'memberCount', 'note'],
  grid: ['gridCode', 'gridName', 'community', 'subdistrict', 'gridWorker', 'gridWorkerPhone', 'gridBranch'],
  building: ['compound', 'buildingNo', 'unitCount', 'householdCount', 'community', 'grid', 'buildingLead', 'buildingLeadPhone', 'leadIsMember', 'buildingGroup'],
  centralHousehold: ['householder', 'phone', 'address', 'community', 'grid', 'contactHouseholds'],
  compoundList: ['seq', 'compound', 'address', 'propertyCompany', 'community', 'buildingCount'],
  redProperty: ['seq', 'companyName', 'creditCode', 'orgName', 'orgType', 'memberCount', 'secretary', 'servedCompounds', 'community', 'subdistrict', 'district', 'foundedDate', 'jointOrgName'],
  communityBasics: ['communityCode', 'communityName', 'subdistrict', 'district', 'households', 'residents', 'minorityResidents', 'gridCount', 'buildingCount', 'secretary', 'workers'],
  companyDirectory: ['seq', 'companyName', 'creditCode', 'legalRepresentative', 'registeredAddress'],
} as const;

export type TableKind = keyof typeof TABLE_FIELDS;
export type FieldOf<K extends TableKind> = (typeof TABLE_FIELDS)[K][number];

const SEQ = ['行次', '排列序号', '序列'];
const COMMUNITY = ['所在社区', '社区名', '归属社区', '所属社区居委会', '所属社区名称'];
const SUBDISTRICT = ['所在街道', '街道办', '所属街镇', '街道乡镇', '所属街道名称'];
const PHONE = ['联系手机', '本人手机', '手机联系方式', '联糸电话', '电话号', '移动电话号码'];
const MEMBER_COUNT = ['党员总数', '现有党员数', '在册党员人数', '党员总人数'];
const BUILDING_COUNT = ['楼宇数', '楼栋合计', '楼栋个数', '楼座数'];
const COMPOUND = ['住宅小区名', '所在小区名称', '院落小区', '居住小区名称', '所属小区'];
const COMPANY = ['物管企业名称', '物业公司全称', '企业全称', '物业管理公司'];
const CREDIT_CODE = ['统一信用代码', '社会统一信用代码', '信用代码证号', '统一社会信用代码证'];

/** Header words per table kind and field: synonyms district staff use, and their usual misspellings. */
export const DRIFT_HEADERS: { [K in TableKind]: Record<FieldOf<K>, readonly string[]> } = {
  roster: {
    seq: SEQ,
    name: ['党员名称', '人员姓名', '同志姓名', '党员性名', '性名'],
    gender: ['男女', '性別', '姓别'],
    ethnicity: ['族别', '民族成分', '名族'],
    birthDate: ['出生时间', '出生日', '出身年月', '出生年月日期'],
    idNumber: ['公民身份证号', '居民身份证号码', '身份证编号', '身份号码', '身分证号', '省份证号码', '公民身份证件号码'],
    education: ['学历程度', '教育程度', '文化水平', '学力'],
    category: ['党员身份', '人员身份', '党员状态', '正式/预备'],
    joinDate: ['入党年月日', '加入党组织时间', '入党时问', '入党年份'],
    regularDate: ['转为正式党员日期', '转正年月日', '转正时问'],
    organization: ['所在支部名称', '党组织关系所在支部', '所在党组织全称', '组织关系所在党支部', '所属党组织名称', '隶属党支部'],
    phone: PHONE,
    workplace: ['现工作单位', '单位名称', '工作岗位'],
    residence: ['居住地点', '现居住地址', '家庭现住址', '常住地址'],
    note: ['备考', '其他说明', '情况说明'],
  },
  orgStructure: {
    seq: SEQ,
    level: ['组织级别', '党组织层级', '组织性质'],
    orgName: ['党组织全称', '支部名称', '组织全称'],
    parentOrg: ['上级党委', '所属上级组织', '上一级党组织'],
    leader: ['党组织负责人', '书记/负责人姓名', '负责人姓名'],
    leaderPhone: ['书记联系电话', '负责人手机', '联系手机号码'],
    memberCount: MEMBER_COUNT,
    note: ['备考', '其他说明', '情况说明'],
  },
  grid: {
    gridCode: ['网格识别码', '网格序列号', '网格ID'],
    gridName: ['网格名字', '所在网格名称', '网格区域'],
    community: COMMUNITY,
    subdistrict: SUBDISTRICT,
    gridWorker: ['网格管理员', '网格长', '专职网格员姓名', '网络员'],
    gridWorkerPhone: ['网格管理员电话', '网格长手机', '网格员联系方式'],
    gridBranch: ['网格支部', '所在网格党支部', '网格党支部名称'],
  },
  building: {
    compound: COMPOUND,
    buildingNo: ['楼栋号码', '栋号', '楼栋序号', '幢号', '楼座号'],
    unitCount: ['单元个数', '单元总数', '共几个单元'],
    householdCount: ['住户户数', '居住户数', '总住户', '入住户数'],
    community: COMMUNITY,
    grid: ['所在网格', '归属网格', '所属网格名称', '网格划分'],
    buildingLead: ['楼门长', '楼道长', '栋长', '楼栋长名字'],
    buildingLeadPhone: ['楼门长电话', '栋长联系电话', '楼道长手机'],
    leadIsMember: ['楼栋长是否为党员', '是否中共党员', '党员（是/否）'],
    buildingGroup: ['所属党小组', '楼栋党小组名称', '楼道党小组'],
  },
  centralHousehold: {
    householder: ['中心户户主姓名', '党员中心户姓名', '户主名字'],
    phone: PHONE,
    address: ['家庭详细住址', '详细门牌地址', '住户地址'],
    community: COMMUNITY,
    grid: ['所在网格', '归属网格', '所属网格名称'],
    contactHouseholds: ['联系群众户', '联户数', '联系服务户数'],
  },
  compoundList: {
    seq: SEQ,
    compound: COMPOUND,
    address: ['小区所处位置', '地理位置', '详细地点', '门牌地址'],
    propertyCompany: ['物业管理方', '物管公司', '物业单位', '物业服务公司名称'],
    community: COMMUNITY,
    buildingCount: BUILDING_COUNT,
  },
  redProperty: {
    seq: SEQ,
    companyName: COMPANY,
    creditCode: CREDIT_CODE,
    orgName: ['物业党组织名称', '党支部全称', '企业党组织'],
    orgType: ['组织形式', '党组织形式', '党组织性质'],
    memberCount: MEMBER_COUNT,
    secretary: ['党支部书记', '书记名字', '党组织负责人'],
    servedCompounds: ['服务小区名称', '在管小区', '所服务小区', '管理项目'],
    community: COMMUNITY,
    subdistrict: SUBDISTRICT,
    district: ['所在区', '区县名称', '旗区'],
    foundedDate: ['组建时间', '党组织组建日期', '成立年月'],
    jointOrgName: ['联合党组织全称', '所在联合党支部', '四位一体联合党组织'],
  },
  communityBasics: {
    communityCode: ['社区区划代码', '统计代码', '区划编码', '十二位代码'],
    communityName: ['社区居委会名称', '居委会名称', '社区全称'],
    subdistrict: SUBDISTRICT,
    district: ['所在区', '区县名称', '旗区'],
    households: ['户籍户数', '住户总数', '辖区户数'],
    residents: ['常住人数', '常驻人口', '辖区常住人口'],
    minorityResidents: ['少数民族', '少数民族常住人口', '少数名族人口'],
    gridCount: ['网格总数', '划分网格数', '网格个数'],
    buildingCount: BUILDING_COUNT,
    secretary: ['社区党组织负责人', '党组织书记姓名', '社区书记姓名'],
    workers: ['社区专职工作者人数', '专职工作者人数', '社工人数', '社区专职人员数'],
  },
  companyDirectory: {
    seq: SEQ,
    companyName: COMPANY,
    creditCode: CREDIT_CODE,
    legalRepresentative: ['法定代表人', '法人代表', '企业法人'],
    registeredAddress: ['注册地址', '企业住所', '办公地址'],
  },
};

/** Columns of no use to the registry, with the values staff leave in them. */
export const NOISE_COLUMNS: readonly (readonly [header: string, values: readonly string[]])[] = [
  ['填报人', ['李红', '王丽', '赵敏']],
  ['更新日期', ['2023-12-05', '2023-11-28', '2024-01-03']],
  ['核对情况', ['已核对', '待核实', '']],
  ['审核意见', ['同意', '']],
  ['数据来源', ['社区上报', '街道汇总', '系统导出']],
  ['微信号', ['', '', 'wx_qc']],
  ['是否在岗', ['是', '否']],
  ['录入批次', ['第一批', '第二批']],
];

/** Labels of the upper header row over groups of adjacent columns. */
export const HEADER_GROUPS = ['基本信息', '联系方式', '组织信息', '其他信息', '详细情况'];

/** Sheet names per table kind (split sheets take a suffix). */
export const SHEET_NAMES: Record<TableKind, readonly string[]> = {
  roster: ['党员名单', '在册党员', '党员基本信息表', '党员登记表'],
  orgStructure: ['党组织设置', '组织设置情况', '党组织体系'],
  grid: ['网格信息', '网格划分', '网格台账'],
  building: ['楼栋信息', '楼栋台账', '楼宇信息'],
  centralHousehold: ['党员中心户名单', '中心户台账'],
  compoundList: ['小区信息', '小区', '小区台账'],
  redProperty: [],
  communityBasics: [],
  companyDirectory: [],
};

export const INSTRUCTIONS_SHEET = '填表说明';
export const CONTENTS_SHEET = '目录';
export const SUMMARY_SHEETS = ['统计汇总', '汇总', '数据透视'];
/** The header of a pivot table as Excel writes it: row labels and a count of a column. */
export const PIVOT_HEADER = ['行标签', '计数项:姓名'];
export const PIVOT_TOTAL = '总计';
export const COMPANY_DIRECTORY_SHEET = '物业企业名录';

/** Lines of an instructions sheet: what a district office writes above its forms. */
export const INSTRUCTIONS = [
  '一、本表由社区党组织负责填报，街道党工委审核。',
  '二、身份证号请填写18位，末位为X的请大写。',
  '三、日期格式统一为“YYYY年MM月”，不得留空。',
  '四、人员类别填写正式党员或预备党员。',
  '五、如有疑问请联系街道组织办，电话见通知。',
  '六、请于每月5日前报送，逾期不再受理。',
];

/** Title rows written above a table. */
export const TITLE_SUFFIXES = ['统计表', '登记表', '信息汇总表', '台账'];
export const FILLED_BY = ['填报单位（盖章）：', '填报日期：2023年12月', '制表人：', '审核人：'];

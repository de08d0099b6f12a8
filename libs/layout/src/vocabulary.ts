/**
 * The one place that says which header words mean which canonical field, per entity. Words are
 * the ones used on real government forms and exports; they are compared after normalisation
 * (see normalize.ts), so full-width forms, spaces and bracketed units need not be listed.
 */

import type { ValueKind } from './values';

export type EntityKind =
  | 'member-roster'
  | 'grid'
  | 'building'
  | 'compound'
  | 'central-household'
  | 'org-structure'
  | 'red-property'
  | 'community-basics';

export interface FieldDef {
  field: string;
  /** Header words that mean this field; the first one is the display label. */
  synonyms: string[];
}

export interface EntityDef {
  entity: EntityKind;
  /** Chinese label of the sheet kind, for messages. */
  label: string;
  fields: FieldDef[];
  /** Each entry is a set of alternatives; at least one of them must be present. */
  required: string[][];
  /** Fields that tell this entity apart from the others. */
  keys: string[];
  /** Words in a sheet name or title row that suggest this entity. */
  hints: string[];
}

/** Fields every sheet may have; they neither help nor hurt the entity decision. */
export const COMMON_FIELDS: FieldDef[] = [
  { field: 'seq', synonyms: ['序号', '编号', '序', 'No', 'NO', '顺序号'] },
  { field: 'note', synonyms: ['备注', '说明', '备注说明', '附注'] },
];

export const NEUTRAL_FIELDS = new Set(COMMON_FIELDS.map((f) => f.field));

const PHONE = ['联系电话', '手机号码', '联系方式', '手机号', '电话', '手机', '电话号码', '移动电话'];

export const ENTITIES: EntityDef[] = [
  {
    entity: 'member-roster',
    label: '党员花名册',
    fields: [
      { field: 'name', synonyms: ['姓名', '党员姓名', '名字', '户主姓名'] },
      { field: 'idNumber', synonyms: ['公民身份号码', '身份证号', '身份证号码', '证件号码', '身份证', '身份证件号码'] },
      { field: 'gender', synonyms: ['性别'] },
      { field: 'ethnicity', synonyms: ['民族'] },
      { field: 'birthDate', synonyms: ['出生日期', '出生年月', '出生年月日', '生日'] },
      { field: 'education', synonyms: ['学历', '文化程度', '最高学历'] },
      { field: 'category', synonyms: ['人员类别', '党员类别', '党籍状态', '党员类型'] },
      { field: 'joinDate', synonyms: ['入党日期', '入党时间', '入党年月'] },
      { field: 'regularDate', synonyms: ['转正日期', '转正时间', '转正年月'] },
      { field: 'organization', synonyms: ['所在党组织', '所属支部', '所在支部', '所属党组织', '党组织名称', '所在党支部', '所属党支部'] },
      { field: 'phone', synonyms: PHONE },
      { field: 'workplace', synonyms: ['工作单位', '单位', '工作单位及职务'] },
      { field: 'residence', synonyms: ['现居住地', '家庭住址', '住址', '居住地址', '现住址', '家庭地址', '居住地'] },
    ],
    required: [['name']],
    keys: ['name', 'idNumber', 'gender', 'birthDate', 'joinDate', 'category', 'organization'],
    hints: ['花名册', '党员信息', '党员名册', '党员台账', '党员名单'],
  },
  {
    entity: 'grid',
    label: '网格',
    fields: [
      { field: 'gridCode', synonyms: ['网格编码', '网格代码', '网格编号'] },
      { field: 'gridName', synonyms: ['网格名称', '网格', '网格名'] },
      { field: 'community', synonyms: ['所属社区', '社区', '社区名称'] },
      { field: 'subdistrict', synonyms: ['所属街道', '街道', '街道名称', '所属街道办事处'] },
      { field: 'gridWorker', synonyms: ['网格员', '网格员姓名', '专职网格员'] },
      { field: 'gridWorkerPhone', synonyms: ['网格员电话', '网格员联系电话', '网格员手机', '网格员手机号', ...PHONE] },
      { field: 'gridBranch', synonyms: ['网格党支部', '所属党支部', '网格党组织'] },
    ],
    required: [['gridName', 'gridCode']],
    keys: ['gridCode', 'gridName', 'gridWorker', 'gridWorkerPhone', 'gridBranch'],
    hints: ['网格'],
  },
  {
    entity: 'building',
    label: '楼栋',
    fields: [
      { field: 'compound', synonyms: ['小区名称', '小区', '所在小区', '小区(院落)名称', '院落名称'] },
      { field: 'buildingNo', synonyms: ['楼栋号', '楼号', '楼栋', '楼栋名称', '楼栋编号', '楼宇'] },
      { field: 'unitCount', synonyms: ['单元数', '单元数量'] },
      { field: 'householdCount', synonyms: ['户数', '住户数', '总户数'] },
      { field: 'community', synonyms: ['所属社区', '社区'] },
      { field: 'grid', synonyms: ['所属网格', '网格'] },
      { field: 'buildingLead', synonyms: ['楼栋长', '楼长', '楼栋长姓名'] },
      { field: 'buildingLeadPhone', synonyms: ['楼栋长电话', '楼栋长联系电话', '楼长电话', '楼栋长手机', ...PHONE] },
      { field: 'leadIsMember', synonyms: ['是否党员', '楼栋长是否党员'] },
      { field: 'buildingGroup', synonyms: ['楼栋党小组', '党小组'] },
    ],
    required: [['buildingNo']],
    keys: ['compound', 'buildingNo', 'unitCount', 'buildingLead', 'buildingGroup'],
    hints: ['楼栋', '楼宇'],
  },
  {
    // A compound list (小区 / 小区信息): one row per compound, never a building or a party organization.
    entity: 'compound',
    label: '小区',
    fields: [
      { field: 'compoundName', synonyms: ['小区名称', '小区', '小区名', '小区(院落)名称', '院落名称', '小区全称'] },
      { field: 'address', synonyms: ['地址', '小区地址', '详细地址', '坐落地址', '小区位置', '坐落位置'] },
      { field: 'propertyCompany', synonyms: ['物业公司', '物业企业', '物业服务企业', '物业公司名称', '物业企业名称', '物业服务公司', '物业管理单位'] },
      { field: 'community', synonyms: ['所属社区', '社区', '社区名称'] },
      { field: 'subdistrict', synonyms: ['所属街道', '街道'] },
      { field: 'district', synonyms: ['所属区', '区', '所属旗县区', '旗县区'] },
      { field: 'buildingCount', synonyms: ['楼栋数', '楼栋数量', '楼栋总数', '楼数'] },
      { field: 'householdCount', synonyms: ['户数', '总户数', '住户数', '居民户数'] },
      { field: 'builtYear', synonyms: ['建成年份', '建成时间', '建成年代', '建设年份', '竣工年份', '建成年度'] },
      { field: 'grid', synonyms: ['所属网格', '网格'] },
    ],
    required: [['compoundName']],
    keys: ['compoundName', 'address', 'propertyCompany', 'buildingCount', 'builtYear'],
    hints: ['小区'],
  },
  {
    entity: 'central-household',
    label: '党员中心户',
    fields: [
      { field: 'householder', synonyms: ['户主姓名', '中心户户主', '姓名', '户主', '中心户姓名'] },
      { field: 'phone', synonyms: PHONE },
      { field: 'address', synonyms: ['住址', '家庭住址', '地址', '居住地址'] },
      { field: 'community', synonyms: ['所属社区', '社区'] },
      { field: 'grid', synonyms: ['所属网格', '网格'] },
      { field: 'contactHouseholds', synonyms: ['联系户数', '联系户', '联系群众户数', '联系户数量'] },
    ],
    required: [['householder']],
    keys: ['householder', 'contactHouseholds'],
    hints: ['中心户'],
  },
  {
    entity: 'org-structure',
    label: '组织架构',
    fields: [
      { field: 'level', synonyms: ['组织层级', '层级', '组织类型', '类型', '组织类别'] },
      { field: 'orgName', synonyms: ['组织名称', '党组织名称', '名称', '党组织'] },
      { field: 'parentOrg', synonyms: ['上级组织', '上级党组织', '隶属组织', '上级组织名称'] },
      { field: 'leader', synonyms: ['书记负责人', '书记', '负责人', '书记姓名', '组织书记', '党组织书记'] },
      { field: 'leaderPhone', synonyms: ['联系电话', '电话', '书记电话', '负责人电话', '手机号码'] },
      { field: 'memberCount', synonyms: ['党员人数', '党员数', '党员数量'] },
    ],
    required: [['orgName']],
    keys: ['level', 'orgName', 'parentOrg', 'memberCount'],
    hints: ['组织架构', '组织体系', '组织机构', '组织设置'],
  },
  {
    entity: 'red-property',
    label: '红色物业台账',
    fields: [
      { field: 'companyName', synonyms: ['物业企业名称', '物业公司名称', '物业企业', '物业公司', '企业名称', '物业服务企业', '物业服务企业名称', '物业服务公司', '物业服务单位', '物业名称', '公司名称'] },
      { field: 'creditCode', synonyms: ['统一社会信用代码', '社会信用代码', '信用代码'] },
      { field: 'orgName', synonyms: ['党组织名称', '党支部名称'] },
      { field: 'orgType', synonyms: ['党组织类型', '党组织类别'] },
      { field: 'memberCount', synonyms: ['党员人数', '党员数'] },
      { field: 'secretary', synonyms: ['党组织书记', '书记', '支部书记'] },
      { field: 'servedCompounds', synonyms: ['服务小区', '服务项目', '管理小区', '服务的小区'] },
      { field: 'community', synonyms: ['所属社区', '社区'] },
      { field: 'subdistrict', synonyms: ['所属街道', '街道'] },
      { field: 'district', synonyms: ['所属区', '区', '所属旗县区', '所属区县', '旗县区'] },
      { field: 'foundedDate', synonyms: ['党组织成立时间', '成立时间', '成立日期', '党组织成立日期'] },
      { field: 'jointOrgName', synonyms: ['联合党组织名称', '联合党组织', '联合党支部'] },
    ],
    // A ledger of party organizations in property companies: a list of companies alone (物业企业名录) is none.
    required: [['companyName', 'creditCode'], ['orgName', 'orgType', 'secretary', 'memberCount', 'foundedDate', 'jointOrgName']],
    keys: ['companyName', 'creditCode', 'servedCompounds', 'jointOrgName'],
    hints: ['红色物业', '物业'],
  },
  {
    entity: 'community-basics',
    label: '社区基本情况',
    fields: [
      { field: 'communityCode', synonyms: ['社区代码', '社区编码', '统计用区划代码', '区划代码', '行政区划代码'] },
      { field: 'communityName', synonyms: ['社区名称', '社区', '社区居委会'] },
      { field: 'subdistrict', synonyms: ['街道', '所属街道', '街道名称', '街道办事处'] },
      { field: 'district', synonyms: ['区', '所属区', '区县', '旗县区'] },
      { field: 'households', synonyms: ['户数', '总户数', '居民户数'] },
      { field: 'residents', synonyms: ['常住人口', '人口', '常住人口数', '居民人数'] },
      { field: 'minorityResidents', synonyms: ['少数民族人口', '少数民族人口数', '少数民族人数'] },
      { field: 'gridCount', synonyms: ['网格数', '网格数量'] },
      { field: 'buildingCount', synonyms: ['楼栋数', '楼栋数量'] },
      { field: 'secretary', synonyms: ['社区书记', '社区党组织书记', '党委书记', '社区党委书记'] },
      { field: 'fullTimeWorkers', synonyms: ['专职社区工作者数', '社区工作者数', '专职社工数', '专职社区工作者'] },
    ],
    required: [['communityName', 'communityCode']],
    keys: ['communityCode', 'households', 'residents', 'minorityResidents', 'gridCount', 'buildingCount'],
    hints: ['基本情况', '社区基本', '社区概况', '基础信息'],
  },
];

/**
 * The kind of value each field holds, by field name: a field means the same thing in every sheet kind
 * (a compound list's buildingCount is a count like a community's). Names not listed are read by their
 * ending (…IdNumber, …Phone, …Date, …Count); a field with neither has no value evidence.
 */
const FIELD_VALUES: Record<string, ValueKind> = {
  name: 'personName', householder: 'personName', gridWorker: 'personName', buildingLead: 'personName', leader: 'personName', secretary: 'personName',
  seq: 'sequence', gender: 'gender', education: 'education', ethnicity: 'ethnicity', category: 'partyCategory', leadIsMember: 'yesNo',
  organization: 'organization', orgName: 'organization', parentOrg: 'organization', gridBranch: 'organization', buildingGroup: 'organization', jointOrgName: 'organization',
  companyName: 'company', propertyCompany: 'company', creditCode: 'creditCode',
  communityCode: 'divisionCode', gridCode: 'gridCode',
  community: 'community', communityName: 'community', subdistrict: 'subdistrict', district: 'district',
  grid: 'grid', gridName: 'grid', buildingNo: 'building', compound: 'compound', compoundName: 'compound', servedCompounds: 'compound',
  residence: 'address', address: 'address',
  households: 'count', residents: 'count', minorityResidents: 'count', fullTimeWorkers: 'count', contactHouseholds: 'count',
};
const FIELD_VALUE_ENDINGS: [RegExp, ValueKind][] = [
  [/idNumber$/i, 'citizenId'],
  [/phone$/i, 'phone'],
  [/Date$/, 'date'],
  [/Count$/, 'count'],
];

/** The kind of value a field holds, or undefined when values say nothing about it (education, notes). */
export function fieldValueKind(field: string): ValueKind | undefined {
  return FIELD_VALUES[field] ?? FIELD_VALUE_ENDINGS.find(([ending]) => ending.test(field))?.[1];
}

export function entityDef(entity: EntityKind): EntityDef {
  const def = ENTITIES.find((e) => e.entity === entity);
  if (!def) throw new Error(`unknown entity ${entity}`);
  return def;
}

export const ENTITY_KINDS: EntityKind[] = ENTITIES.map((e) => e.entity);

/** Display label of a field (its first synonym). */
export function fieldLabel(entity: EntityKind | null, field: string): string {
  const pool = [...(entity ? entityDef(entity).fields : []), ...COMMON_FIELDS];
  return pool.find((f) => f.field === field)?.synonyms[0] ?? field;
}

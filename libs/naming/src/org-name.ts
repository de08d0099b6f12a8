import { buildingKey } from './building';
import { communityNameKey, knownResidentialArea } from './community-name';
import { companyNameKey } from './company-name';
import { compoundNameKey } from './compound-name';
import { compact, dropBrackets, NUMERAL, readInt } from './internal';
import { PlaceIndex, splitPlacePrefix } from './place';

export type OrgForm =
  | 'committee'
  | 'general_branch'
  | 'branch'
  | 'group'
  | 'joint_branch'
  | 'joint_committee'
  | 'unknown';

export type OrgTag = 'community' | 'grid' | 'building' | 'red-property' | 'functional' | 'new-domain' | 'joint';

export interface ParsedOrgName {
  form: OrgForm;
  /** The organisation's own name without party prefix/suffix and places: 兴康社区第一网格, 日富物业服务有限责任公司. */
  core: string;
  /** Administrative part that was stripped: 呼和浩特市赛罕区人民路街道. */
  placePrefix: string;
  tags: OrgTag[];
  /** Community name as written (兴康社区) and its key (兴康). */
  community?: string;
  communityKey?: string;
  /** Grid number: 第一网格 = 一网格 = 1网格 → 1. */
  grid?: number;
  /** Compound key of a building group or joint organisation: 航苑. */
  compound?: string;
  /** Building number: 十号楼/10号楼/10#/10栋 → '10'. */
  building?: string;
  /** Company key when the organisation belongs to a company: 日富物业. */
  company?: string;
  /** Enclosing organisation of a nested formal name (…第一网格支部委员会航苑小区8号楼党小组 → 河西社区第一网格). */
  parent?: string;
  /** Form-free identity of the organisation; '' when the name holds nothing to identify it. */
  coreKey: string;
  /** `${form}|${coreKey}`, or '' when coreKey is ''. What orgNameKey returns. */
  key: string;
}

/** What the caller knows about where the name came from, e.g. the community of a ledger file. */
export interface OrgNameContext {
  /** Community to assume when the name has none (a ledger's 组织架构 lists 第一网格党支部). */
  community?: string;
}

const PARTY_PREFIX = /^(?:中国共产党|中共)/;

// Form suffixes, most specific first. 支部委员会 / 党支部 / 支部 are one form (branch).
const FORM_SUFFIXES: ReadonlyArray<readonly [RegExp, OrgForm, boolean /* joint */, boolean /* needs 中共 */]> = [
  [/党?小组$/, 'group', false, false],
  [/联合(?:党委员会|党委|委员会)$/, 'joint_committee', true, false],
  [/联合党?支部(?:委员会)?$/, 'joint_branch', true, false],
  [/联合党?总支部?(?:委员会)?$/, 'general_branch', true, false],
  [/党?总支部?(?:委员会)?$/, 'general_branch', false, false],
  [/党?支部(?:委员会)?$/, 'branch', false, false],
  [/党工?委(?:员会)?$/, 'committee', false, false],
  // A bare 委员会 is a party committee only in a formal 中共… name; 居民委员会 never is.
  [/(?<!居民|村民|业主|居|村)委员会$/, 'committee', false, true],
  [/联合党组织$/, 'unknown', true, false],
  [/党组织$/, 'unknown', false, false],
];

// A party organisation named inside a longer formal name: the parent of a group or branch.
const INNER_ORG = /(?:总支部委员会|支部委员会|(?<!居民|村民|业主|居|村)委员会|党总支|党支部|党委)/g;
// …unless a place word follows: then it is part of a place's name (内蒙党委社区 is a community).
const PLACE_WORD_AFTER = /^(?:社区|居委会|居民委员会|村|嘎查)/;

const COMMUNITY = /^(.+?)(?:社区居民委员会|社区居委会|社区)/;
const VILLAGE = /^(.+?(?:村|嘎查))(?:村民委员会|民委员会|委员会|委会)?(?=$|第?[0-9一二三四五六七八九十]+网格|网格)/;
const GRID = new RegExp(`第?([${NUMERAL}]+)号?网格|网格第?([${NUMERAL}]+)号?`);
const BUILDING = new RegExp(`([A-Z]?\\d+[A-Z]?|[A-Z]|[${NUMERAL}]+)(?:号楼|#楼?|栋楼?|幢楼?|座|号楼栋)$`);
const COMPOUND_WORD = /小区|嘉园|家园|花园|公寓|苑|新村|院|大院|号$/;
const COMPANY_WORD = /物业|公司|集团|企业|有限|厂$/;
const JOINT_WORD = /联合|位一体/;
const BUILDING_WORD = /楼栋/;
const PROPERTY_WORD = /物业/;
// "四位一体" and similar slogans describe a joint organisation, they do not name it.
const SLOGAN = new RegExp(`[${NUMERAL}]位一体`, 'g');
const FUNCTIONAL_WORD = /志愿|文体|曲艺|同心|民族团结|老年|离退休|退休|流动|退役军人|老干部|巾帼|妇女|青年|关爱|侨|宗教/;
const NEW_DOMAIN_WORD = /商圈|楼宇|商务|写字楼|商业街|综合体|产业园|市场|商会|大厦/;
// Functional branches go by several names across systems (the retired app used the older ones).
const FUNCTIONAL_SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/志愿者?(?:服务)?/g, '志愿服务'],
  [/文体(?:曲艺)?/g, '文体曲艺'],
  [/流动(?:党员)?/g, '流动党员'],
  [/老年(?:协会|人)?/g, '老年'],
  [/离?退休(?:干部|党员|人员)?/g, '离退休'],
  // Hohhot's 同心 branches are the ethnic-unity (民族团结) branches under their newer name.
  [/民族团结/g, '同心'],
];

/**
 * Parses a party organisation name in its formal or short form:
 * 中共呼和浩特市赛罕区人民路街道兴康社区委员会 = 兴康社区党委 → committee, core 兴康社区;
 * 中共…兴康社区第一网格支部委员会 = 兴康社区一网格党支部 = …第1网格支部 → branch, grid 1;
 * 中共呼和浩特市日富物业服务有限责任公司支部委员会 = 日富物业党支部 → branch, company 日富物业.
 * Never throws; unrecognised text gives form 'unknown'.
 */
export function parseOrgName(
  raw: string | null | undefined,
  places?: PlaceIndex,
  context?: OrgNameContext,
): ParsedOrgName {
  let s = dropBrackets(compact(raw)).toUpperCase();
  const formal = PARTY_PREFIX.test(s);
  if (formal) s = s.replace(PARTY_PREFIX, '');

  let form: OrgForm = 'unknown';
  let joint = false;
  for (const [re, f, isJoint, needsFormal] of FORM_SUFFIXES) {
    if (needsFormal && !formal) continue;
    const m = re.exec(s);
    if (m) {
      form = f;
      joint = isJoint;
      s = s.slice(0, m.index);
      break;
    }
  }

  // Nested formal names: the last inner organisation is the parent, what follows is the own name.
  let parentText = '';
  let own = s;
  INNER_ORG.lastIndex = 0;
  for (let m = INNER_ORG.exec(s); m; m = INNER_ORG.exec(s)) {
    const end = m.index + m[0].length;
    if (m.index > 0 && end < s.length && !PLACE_WORD_AFTER.test(s.slice(end))) {
      parentText = s.slice(0, m.index);
      own = s.slice(end);
    }
  }

  let placePrefix: string;
  let parent: ParsedCore | undefined;
  if (parentText !== '') {
    const split = splitPlacePrefix(parentText, places);
    placePrefix = split.prefix;
    parent = parseCore(split.rest, places);
    own = splitPlacePrefix(own, places).rest;
  } else {
    const split = splitPlacePrefix(own, places);
    placePrefix = split.prefix;
    own = split.rest;
  }

  // A short name may open with the community's bare name (贝尔路三网格支部 in 贝尔路社区): read it as that community.
  let contextPrefix: { community: string; key: string } | null = null;
  if (context?.community) {
    const key = communityNameKey(context.community, places);
    if (key !== '' && own.length > key.length && own.startsWith(key) && !COMMUNITY.test(own)) {
      contextPrefix = { community: context.community, key };
      own = own.slice(key.length);
    }
  }
  const p = parseCore(own, places);
  if (contextPrefix && p.community === undefined && p.company === undefined) {
    p.community = contextPrefix.community;
    p.communityKey = contextPrefix.key;
  }
  const isJoint = joint || JOINT_WORD.test(own);
  // The parent contributes only its community: short names of groups omit the grid branch. A joint
  // organisation is named after its compound alone, so the caller's community is not added to it.
  if (p.community === undefined && p.company === undefined) {
    if (parent?.community !== undefined) {
      p.community = parent.community;
      p.communityKey = parent.communityKey;
    } else if (context?.community && !isJoint) {
      const key = communityNameKey(context.community, places);
      if (key !== '') {
        p.community = context.community;
        p.communityKey = key;
      }
    }
  }

  const tags = tagsOf(p, form, isJoint);
  const coreKey = coreKeyOf(p);
  const out: ParsedOrgName = {
    form,
    core: coreText(p, own),
    placePrefix,
    tags,
    coreKey,
    key: coreKey === '' ? '' : `${form}|${coreKey}`,
  };
  if (p.community !== undefined) out.community = p.community;
  if (p.communityKey !== undefined) out.communityKey = p.communityKey;
  if (p.grid !== undefined) out.grid = p.grid;
  if (p.compound !== undefined) out.compound = p.compound;
  if (p.building !== undefined) out.building = p.building;
  if (p.company !== undefined) out.company = p.company;
  if (parentText !== '') out.parent = parent?.text ?? parentText;
  return out;
}

/**
 * Matching key of a party organisation: every variant of one organisation (formal, short, with or
 * without places, 第一网格/一网格/1网格, 日富物业/呼和浩特市日富物业服务有限责任公司) gives the same key,
 * and the form is part of it (a 党委 and a 党支部 of one community differ; 支部委员会 = 党支部 = 支部).
 * '' when the name identifies nothing (党支部 alone, empty cells).
 */
export function orgNameKey(raw: string | null | undefined, places?: PlaceIndex, context?: OrgNameContext): string {
  return parseOrgName(raw, places, context).key;
}

interface ParsedCore {
  text: string;
  community?: string;
  communityKey?: string;
  grid?: number;
  compound?: string;
  building?: string;
  company?: string;
  /** What is left once community, grid and building are read, canonicalised (志愿者 → 志愿服务). */
  rest: string;
  functional: boolean;
  newDomain: boolean;
}

function parseCore(text: string, places?: PlaceIndex): ParsedCore {
  const out: ParsedCore = { text, rest: '', functional: false, newDomain: false };
  let rest = text;

  const area = knownResidentialArea(rest, places);
  const c = COMMUNITY.exec(rest) ?? VILLAGE.exec(rest) ?? (area ? [area] : null);
  // 安居新村 alone is a compound, not a village.
  if (c && !(c[0] === rest && rest.endsWith('新村'))) {
    const name = rest.slice(0, c[0].length);
    const key = communityNameKey(name);
    if (key !== '') {
      out.community = name;
      out.communityKey = key;
      rest = rest.slice(c[0].length);
    }
  }

  if (out.community === undefined && COMPANY_WORD.test(rest)) {
    const key = companyNameKey(rest);
    if (key !== '') {
      out.company = key;
      return out;
    }
  }

  const g = GRID.exec(rest);
  if (g) {
    const n = readInt(g[1] ?? g[2]);
    if (n !== null && n > 0) {
      out.grid = n;
      rest = rest.slice(0, g.index) + rest.slice(g.index + g[0].length);
    }
  }

  const b = BUILDING.exec(rest);
  if (b) {
    const key = buildingKey(b[0]);
    if (key !== '') {
      out.building = key;
      const compound = compoundNameKey(rest.slice(0, b.index));
      if (compound !== '') out.compound = compound;
      rest = '';
    }
  }

  rest = rest.replace(SLOGAN, '');
  out.functional = FUNCTIONAL_WORD.test(rest);
  out.newDomain = NEW_DOMAIN_WORD.test(rest);
  if (out.functional) {
    for (const [re, canonical] of FUNCTIONAL_SYNONYMS) rest = rest.replace(re, canonical);
  } else if (rest !== '' && out.building === undefined) {
    // A joint organisation or group named after its compound: 航苑小区 = 航苑.
    const compound = compoundNameKey(rest);
    if (compound !== '' && out.grid === undefined && COMPOUND_WORD.test(rest)) out.compound = compound;
    rest = compound;
  }
  out.rest = rest;
  return out;
}

// The core as a person would write it in a short name: a company by its key, a nested name with
// its parent's community in front (…第一网格支部委员会航苑小区8号楼 → 河西社区航苑小区8号楼).
function coreText(p: ParsedCore, own: string): string {
  if (p.company !== undefined) return p.company;
  if (p.community !== undefined && !own.startsWith(p.community)) return p.community + own;
  return own;
}

function coreKeyOf(p: ParsedCore): string {
  if (p.company !== undefined) return `co:${p.company}`;
  const parts: string[] = [];
  if (p.communityKey !== undefined) parts.push(p.communityKey);
  if (p.grid !== undefined) parts.push(`g${p.grid}`);
  if (p.building !== undefined) {
    if (p.compound !== undefined) parts.push(p.compound);
    parts.push(`b${p.building}`);
  } else if (p.rest !== '') {
    parts.push(p.rest);
  }
  return parts.join('/');
}

function tagsOf(p: ParsedCore, form: OrgForm, joint: boolean): OrgTag[] {
  const tags: OrgTag[] = [];
  const onlyCommunity =
    p.communityKey !== undefined && p.grid === undefined && p.building === undefined && p.rest === '';
  if (onlyCommunity) tags.push('community');
  if (p.grid !== undefined) tags.push('grid');
  if (p.building !== undefined || BUILDING_WORD.test(p.text)) tags.push('building');
  if (PROPERTY_WORD.test(p.company ?? p.text)) tags.push('red-property');
  if (p.functional) tags.push('functional');
  if (p.newDomain) tags.push('new-domain');
  if (joint || form === 'joint_branch' || form === 'joint_committee') tags.push('joint');
  return tags;
}

import { compact } from './internal';

/**
 * Knowledge of administrative divisions above the community (city, district/banner/county,
 * street/town/sumu). Built by the caller from the division table; @qc/naming does not read
 * reference data itself so that it stays a pure library.
 */
export interface PlaceIndex {
  /** True for a city, district/banner/county or street/town name, never for a community or village. */
  isDivisionName(name: string): boolean;
  /** True for the matching key of a known community or village (communityNameKey). */
  isCommunityKey?(key: string): boolean;
}

/**
 * A PlaceIndex over fixed lists of names: the district and street rows of the division table, and
 * the matching keys of its communities.
 */
export function createPlaceIndex(names: Iterable<string>, communityKeys: Iterable<string> = []): PlaceIndex {
  const set = new Set<string>();
  for (const n of names) {
    const c = compact(n);
    if (c.length >= 2) set.add(c);
  }
  const communities = new Set(communityKeys);
  return { isDivisionName: (name) => set.has(name), isCommunityKey: (key) => communities.has(key) };
}

// The province and city in every spelling seen in ledgers. Longest alternatives first.
const CITY = /^(?:内蒙古自治区|内蒙古|呼和浩特市|呼和浩特|呼市)/;

// Hohhot's districts, banners and counties with the abbreviations clerks use (托县, 土左旗).
// 新城区 needs to be here because the generic rule cannot tell it from a compound ending in 城区.
const HOHHOT_DISTRICTS = [
  '呼和浩特经济技术开发区',
  '经济技术开发区',
  '土默特左旗',
  '和林格尔县',
  '清水河县',
  '托克托县',
  '新城区',
  '回民区',
  '玉泉区',
  '赛罕区',
  '武川县',
  '土左旗',
  '和林县',
  '清水县',
  '托县',
];

// Generic rules for places the index does not know. Each candidate is vetted below because
// "团结小区社区", "红旗街社区" or "XX超市" start with something that looks like a place.
const GENERIC_CITY = /^[\u4e00-\u9fff]{2,6}?[市盟](?!场)/;
const GENERIC_DISTRICT = /^[\u4e00-\u9fff]{1,8}?[区旗县]/;
const GENERIC_STREET = /^[\u4e00-\u9fff]{2,10}?街道/;
const GENERIC_TOWN = /^[\u4e00-\u9fff]{2,6}?(?:镇|乡|苏木)/;
const NOT_A_CITY = /(?:超市|门市|夜市|菜市|集市|城市|股市|联盟|同盟)$/;
const NOT_A_DISTRICT = /(?:小区|社区|园区|校区|片区|街区|厂区|景区|营区|生活区|住宅区|红旗|五星红旗)$/;
// Words that only occur inside the organisation's own name, never in a division above a community.
const OWN_NAME_WORD = /社区|小区|村|物业|公司|网格|楼|嘉园|家园|花园|公寓|党/;

export interface PlaceSplit {
  /** The stripped administrative part, e.g. 呼和浩特市赛罕区人民路街道. */
  prefix: string;
  /** What follows it, e.g. 兴康社区第一网格. Never empty unless the input was. */
  rest: string;
}

/**
 * Splits leading administrative divisions (city → district → street) off a compact name.
 * Never strips everything: the last segment stays as the name when nothing follows it
 * (人民路街道 alone is the street's own name, not a prefix).
 */
export function splitPlacePrefix(s: string, places?: PlaceIndex): PlaceSplit {
  let i = 0;
  for (;;) {
    const rest = i === 0 ? s : s.slice(i);
    const n = leadingPlaceLength(rest, places);
    if (n === 0 || n >= rest.length) break;
    i += n;
  }
  return { prefix: s.slice(0, i), rest: s.slice(i) };
}

function leadingPlaceLength(s: string, places?: PlaceIndex): number {
  const city = CITY.exec(s);
  if (city) return city[0].length;
  if (places) {
    // Longest known name first, so 人民路街道 wins over a shorter alias 人民路.
    for (let len = Math.min(s.length - 1, 16); len >= 2; len--) {
      if (places.isDivisionName(s.slice(0, len))) return len;
    }
  }
  for (const d of HOHHOT_DISTRICTS) if (s.startsWith(d)) return d.length;

  let m = GENERIC_CITY.exec(s);
  if (m && !NOT_A_CITY.test(m[0]) && !OWN_NAME_WORD.test(m[0])) return m[0].length;
  m = GENERIC_DISTRICT.exec(s);
  if (m && isPlausibleDistrict(m[0])) return m[0].length;
  m = GENERIC_STREET.exec(s);
  if (m && !OWN_NAME_WORD.test(m[0])) return m[0].length;
  m = GENERIC_TOWN.exec(s);
  if (m && !OWN_NAME_WORD.test(m[0])) return m[0].length;
  return 0;
}

function isPlausibleDistrict(c: string): boolean {
  if (NOT_A_DISTRICT.test(c) || OWN_NAME_WORD.test(c)) return false;
  // Banners and districts have at least two characters before the suffix (乌审旗, 新城区);
  // counties may have one (托县). "红旗", "东区" are names, not places.
  const last = c[c.length - 1];
  return last === '县' ? c.length >= 2 : c.length >= 3;
}

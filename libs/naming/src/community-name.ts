import { compact, dropBrackets } from './internal';
import { PlaceIndex, splitPlacePrefix } from './place';

// Suffixes naming the residents' committee rather than the community itself. One is removed
// (the longest that matches), so 兴康社区居委会 / 兴康社区居民委员会 / 兴康社区 / 兴康居委会 → 兴康.
const COMMUNITY_SUFFIX = /(?:社区居民委员会|社区居委会|社区居委|居民委员会|社区|居委会)$/;
// Villages keep 村/嘎查 in the key, written once: 白塔村委会 = 白塔村民委员会 = 白塔村村民委员会 = 白塔村 →
// 白塔村, and 新村村委会 = 新村村 = 新村 → 新村 (a village named 新村 is often written 新村村).
const VILLAGE_COMMITTEE = /(?:村民委员会|村委会)$/;
const GACHA_COMMITTEE = /嘎查(?:委员会|委会)$/;
// A few residents' committees are named after a 生活区 (三农场生活区居委会). 生活区 alone is as often a
// compound, so such a name is a community only when the division table knows it as one.
const RESIDENTIAL_AREA = /^.+?生活区(?:居民委员会|居委会)?/;

/** The 生活区 at the start of the text when the division table knows it as a community, else null. */
export function knownResidentialArea(text: string, places?: PlaceIndex): string | null {
  const m = RESIDENTIAL_AREA.exec(text);
  return m && places?.isCommunityKey?.(communityNameKey(m[0])) ? m[0] : null;
}

/**
 * Matching key of a community or village name: 兴康社区居委会 = 兴康社区居民委员会 = 兴康社区 = 兴康 =
 * 兴康居委会 → 兴康; 团结小区社区 → 团结小区; 白塔村村民委员会 = 白塔村委会 = 白塔村 → 白塔村.
 * A leading city/district/street is dropped (赛罕区人民路街道兴康社区 → 兴康). A bare suffix such as
 * 社区 is kept as is rather than reduced to ''. Returns '' only for empty input.
 */
export function communityNameKey(raw: string | null | undefined, places?: PlaceIndex): string {
  const s = dropBrackets(compact(raw));
  if (s === '') return '';
  const name = splitPlacePrefix(s, places).rest;
  const v = VILLAGE_COMMITTEE.exec(name);
  if (v && v.index > 0) {
    const base = name.slice(0, v.index);
    return base.endsWith('村') || base.endsWith('嘎查') ? base : `${base}村`;
  }
  const g = GACHA_COMMITTEE.exec(name);
  if (g && g.index > 0) return name.slice(0, g.index + 2);
  if (name.length > 2 && name.endsWith('村村')) return name.slice(0, -1);
  const m = COMMUNITY_SUFFIX.exec(name);
  if (m && m.index > 0) return name.slice(0, m.index);
  return name;
}

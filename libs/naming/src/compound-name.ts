import { compact, dropBrackets } from './internal';
import { splitPlacePrefix } from './place';

// Only words that never distinguish two compounds are removed. 嘉园/家园/花园/公寓/新村/苑 are part of
// the name (富丽家园, 富丽花园 and 富丽苑 are three compounds), so they stay.
const GENERIC_TAIL = /(?:住宅小区|小区|社区|家属院|家属区)$/;
// 丰州路85号院 = 丰州路85号: the 院 of an address-named compound is optional in ledgers.
const ADDRESS_YARD = /号大?院$/;

/**
 * Matching key of a residential compound: 航苑小区 = 航苑 = 航苑小区（老缸房街12号）= 新城区航苑小区 → 航苑;
 * 建设嘉园 → 建设嘉园; 老缸房街12号 stays 老缸房街12号; 丰州路85号院 → 丰州路85号.
 * A generic tail is removed only when at least two characters remain.
 */
export function compoundNameKey(raw: string | null | undefined): string {
  const s = dropBrackets(compact(raw));
  if (s === '') return '';
  let name = splitPlacePrefix(s).rest;
  const a = ADDRESS_YARD.exec(name);
  if (a) return name.slice(0, a.index + 1);
  // Repeated so that 航苑小区社区 and 航苑小区 agree (and the key is idempotent).
  for (let m = GENERIC_TAIL.exec(name); m && m.index >= 2; m = GENERIC_TAIL.exec(name)) {
    name = name.slice(0, m.index);
  }
  return name;
}

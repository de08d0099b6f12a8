import { compact, dropBrackets } from './internal';
import { splitPlacePrefix } from './place';

// Only words that never distinguish two compounds are removed. 嘉园/家园/花园/公寓/新村/苑 are part of
// the name (富丽家园, 富丽花园 and 富丽苑 are three compounds), so they stay.
const GENERIC_TAIL = /(?:住宅小区|小区|社区|家属院|家属区)$/;
// 丰州路85号院 = 丰州路85号: the 院 of an address-named compound is optional in ledgers.
const ADDRESS_YARD = /号大?院$/;
// Kind words a compound's name may be written with or without (幸福家园 = 幸福 when only one fits).
const KIND_TAIL = /(?:花园|家园|嘉园|佳苑|雅苑|苑|园|公寓|新村|新城|大院|院)$/;
// A former name given in brackets after the current one: 航苑小区（原老缸房小区）, （原名：…）, （曾用名…）.
const FORMER = /[(（]\s*(?:原名|原称|曾用名|旧称|原)[:：]?\s*([^()（）]+?)\s*[)）]/g;

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

/** The keys of the former names a compound's name gives in brackets: 航苑小区（原老缸房小区）→ ['老缸房']. */
export function formerCompoundKeys(raw: string | null | undefined): string[] {
  const s = compact(raw);
  const keys = [...s.matchAll(FORMER)].map((m) => compoundNameKey(m[1])).filter((k) => k !== '');
  return [...new Set(keys)];
}

/** How a record names a compound, as far as telling it from the community's other compounds goes. */
export interface CompoundName {
  key: string;
  /** Written with no kind word and no generic tail at all (幸福, not 幸福小区 or 幸福家园). */
  bare: boolean;
  /** Keys of former names given in brackets. */
  formerKeys: string[];
}

export function readCompoundName(raw: string | null | undefined): CompoundName {
  const key = compoundNameKey(raw);
  const written = splitPlacePrefix(dropBrackets(compact(raw))).rest;
  return { key, bare: written === key && compoundStem(key) === key, formerKeys: formerCompoundKeys(raw) };
}

/** A compound key without its kind word (幸福家园 → 幸福); the key itself when none, or when under two characters would remain (航苑). */
export function compoundStem(key: string): string {
  const m = KIND_TAIL.exec(key);
  return m && m.index >= 2 ? key.slice(0, m.index) : key;
}

/**
 * How a record's name meets a known compound: 'same' (its key or a former name), 'bare' (one of
 * them was written without the kind word the other has: 幸福 and 幸福家园; the caller must check
 * that only one compound of the community fits), or null. 富丽家园 and 富丽花园 never meet, nor
 * 幸福小区 and 幸福家园: whoever wrote a kind word meant that one.
 */
export function compoundNamesMeet(a: CompoundName, b: CompoundName): 'same' | 'bare' | null {
  if (a.key === '' || b.key === '') return null;
  if (a.key === b.key || a.formerKeys.includes(b.key) || b.formerKeys.includes(a.key)) return 'same';
  if ((a.bare && compoundStem(b.key) === a.key) || (b.bare && compoundStem(a.key) === b.key)) return 'bare';
  return null;
}

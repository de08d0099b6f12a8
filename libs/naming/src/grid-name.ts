import { communityNameKey } from './community-name';
import { compact, dropBrackets, NUMERAL, readInt } from './internal';

export interface ParsedGridName {
  /** Grid number within its community, null when none could be read. */
  number: number | null;
  /** 12-digit community code when the input was a 15-digit grid code. */
  communityCode?: string;
  /** Community key when the name starts with one (兴康社区第一网格 → 兴康). */
  community?: string;
}

// Community code (12) + grid number (3), as in the grid platform's 网格编码.
const GRID_CODE = /^(\d{12})(\d{3})$/;
// A bare ordinal as typed in a 网格 column: 1, 01, 001, 一.
const BARE = new RegExp(`^第?([${NUMERAL}]{1,4})号?$`);
// 第一网格 / 一网格 / 1网格 / 第1网格 / 1号网格 / 网格一 / 网格1号.
const NAMED = new RegExp(`第?([${NUMERAL}]+)号?网格|网格第?([${NUMERAL}]+)号?`);

/**
 * Reads a grid name or code: 第一网格 = 一网格 = 1网格 = 第1网格 = 网格一 = '01' → { number: 1 };
 * '150105001019003' → { communityCode: '150105001019', number: 3 }. Never throws.
 */
export function parseGridName(raw: string | number | null | undefined): ParsedGridName {
  const s = dropBrackets(compact(raw));
  if (s === '') return { number: null };
  const code = GRID_CODE.exec(s);
  if (code) return { communityCode: code[1], number: positive(readInt(code[2])) };
  const bare = BARE.exec(s);
  if (bare) return { number: positive(readInt(bare[1])) };
  const m = NAMED.exec(s);
  if (!m) return { number: null };
  const out: ParsedGridName = { number: positive(readInt(m[1] ?? m[2])) };
  if (m.index > 0) {
    const community = communityNameKey(s.slice(0, m.index));
    if (community !== '') out.community = community;
  }
  return out;
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}

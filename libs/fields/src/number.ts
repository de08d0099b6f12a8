import { because } from '@qc/reasons';
import { parseChineseNumber } from '@qc/text';
import { Cell, ParseResult, cellText, fail, ok } from './result';

// Words around a count that make it an estimate (约120, 7000余, 200人左右).
const APPROX_PREFIX = /^(?:大约|约计|约|将近|近|超过|逾)/;
const APPROX_SUFFIX = /(?:左右|以上|余|多|\+)$/;
const TOTAL_PREFIX = /^(?:合计|共计|共|计)/;
const COUNT_WORD = /(?:户|人|名|个|栋|幢|间|家|位|套|次|条|所|处|支|座)$/;

/**
 * A non-negative whole count: 12, 12.0, '1,234', '１２', '12户', '十二户', '1.2万'.
 * Estimates (约120, 7000余人, 200人左右) are accepted with the flag 'approximate'.
 */
export function parseCount(cell: Cell): ParseResult<number> {
  if (typeof cell === 'number') return wholeCount(cell, String(cell), false);
  const text = cellText(cell);
  if (!text.ok) return text;
  let s = text.value.replace(/\s+/g, '');
  let approximate = APPROX_PREFIX.test(s);
  s = s.replace(APPROX_PREFIX, '').replace(TOTAL_PREFIX, '');
  // Unit and estimate words come in either order: 7000余人, 200人左右.
  for (let i = 0; i < 2; i++) {
    if (APPROX_SUFFIX.test(s)) approximate = true;
    s = s.replace(APPROX_SUFFIX, '').replace(COUNT_WORD, '');
  }
  let n: number | null = null;
  if (/^\d{1,3}(?:,\d{3})+$/.test(s)) n = Number(s.replace(/,/g, ''));
  else if (/^\d+(?:\.\d+)?$/.test(s)) n = Number(s);
  else if (/^\d+(?:\.\d+)?万$/.test(s)) n = Math.round(Number(s.slice(0, -1)) * 1e4);
  else n = parseChineseNumber(s);
  if (n === null) return fail(because('not-a-count', { value: text.value }));
  return wholeCount(n, text.value, approximate);
}

function wholeCount(n: number, shown: string, approximate: boolean): ParseResult<number> {
  if (!Number.isFinite(n) || !Number.isInteger(n)) return fail(because('not-whole-number', { value: shown }));
  if (n < 0) return fail(because('negative-count', { value: shown }));
  return ok(n, approximate ? ['approximate'] : undefined);
}

/**
 * A share as a fraction 0..1: '24.57%' → 0.2457, 0.2457 → 0.2457. A bare number above 1 and up
 * to 100 (24.57) is read as percent, flagged 'assumed-percent'.
 */
export function parseShare(cell: Cell): ParseResult<number> {
  let n: number;
  let percent = false;
  if (typeof cell === 'number') {
    n = cell;
  } else {
    const text = cellText(cell);
    if (!text.ok) return text;
    const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.value);
    if (!m) return fail(because('not-a-percentage', { value: text.value }));
    n = Number(m[1]);
    percent = m[2] === '%';
  }
  if (!Number.isFinite(n) || n < 0) return fail(because('not-a-share', { value: n }));
  const flags: string[] = [];
  if (!percent && n > 1) {
    percent = true;
    flags.push('assumed-percent');
  }
  // Dividing by 100 leaves binary noise (24.57 / 100 = 0.24569999…); 12 digits are plenty.
  const share = percent ? Number((n / 100).toPrecision(12)) : n;
  return share > 1 ? fail(because('share-above-100', { value: n })) : ok(share, flags);
}

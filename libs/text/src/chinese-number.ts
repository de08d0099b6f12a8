import { toHalfWidth } from './width';

const DIGITS: Record<string, number> = {
  ...digitValues('零一二三四五六七八九'),
  // 〇 in written years, and the financial (大写) forms of hand-typed ledgers.
  ...digitValues('〇壹贰叁肆伍陆柒捌玖'),
  两: 2,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/**
 * Parses an integer written as arabic digits (half- or full-width) or in Chinese numerals:
 * 十 = 10, 十二, 二十三, 一百零五, 两千三 (= 2300, the spoken form that drops the last unit),
 * 一万五千, and digit-by-digit forms such as 二〇二三 (years). Returns null for anything else.
 */
export function parseChineseNumber(s: string): number | null {
  const t = toHalfWidth(s).trim();
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const chars = [...t];
  if (chars.every((c) => c in DIGITS)) {
    return chars.length === 1 ? DIGITS[chars[0]] : Number(chars.map((c) => DIGITS[c]).join(''));
  }
  return parseWithUnits(chars);
}

function parseWithUnits(chars: string[]): number | null {
  let total = 0; // completed 万/亿 groups
  let section = 0; // value below the current big unit
  let pending: number | null = null; // digit waiting for its unit
  let lastUnit = Infinity; // units inside a section must descend: 千 > 百 > 十
  let lastBig = Infinity;
  let zeroSinceUnit = false;
  for (const [i, c] of chars.entries()) {
    if (c in DIGITS) {
      const d = DIGITS[c];
      if (d === 0) {
        zeroSinceUnit = true;
        continue;
      }
      if (pending !== null) return null; // two digits in a row, e.g. 二三十
      pending = d;
    } else if (c in SMALL_UNITS) {
      const unit = SMALL_UNITS[c];
      if (unit >= lastUnit) return null;
      // A bare leading 十 means 一十 (十二 = 12); other units need an explicit digit.
      const digit = pending ?? (unit === 10 && i === 0 ? 1 : null);
      if (digit === null) return null;
      section += digit * unit;
      pending = null;
      lastUnit = unit;
      zeroSinceUnit = false;
    } else if (c in BIG_UNITS) {
      const big = BIG_UNITS[c];
      if (big >= lastBig) return null;
      section += pending ?? 0;
      if (section === 0) return null;
      total += section * big;
      section = 0;
      pending = null;
      lastUnit = Infinity;
      lastBig = big;
      zeroSinceUnit = false;
    } else {
      return null;
    }
  }
  if (pending !== null) {
    // 两千三 = 2300 and 一万五 = 15000: a trailing digit right after a unit of 百 or more takes
    // the next lower unit. After 十 or after a 零 (一百零五) it is a plain units digit.
    const unit = lastUnit !== Infinity ? lastUnit : lastBig;
    const scale = !zeroSinceUnit && unit !== Infinity && unit >= 100 ? unit / 10 : 1;
    section += pending * scale;
  }
  return total + section;
}

function digitValues(chars: string): Record<string, number> {
  return Object.fromEntries([...chars].map((c, i) => [c, i]));
}

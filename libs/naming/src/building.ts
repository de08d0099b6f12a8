import { compact, dropBrackets, NUMERAL, readInt } from './internal';

// A building token followed by a word that can only mean "building". Searched anywhere so that
// 航苑小区8号楼2单元 and 丰州路85号院10号楼 give 8 and 10 (85号院 is the compound's address).
const STRONG = new RegExp(
  `(?:^|第|[^${NUMERAL}A-Z])([A-Z]?\\d+[A-Z]?|[A-Z]|[${NUMERAL}]+)(?:号楼|#楼?|栋楼?|幢楼?|座|号楼栋)`,
);
// The whole value is a number with an optional weak suffix: 10, 010, 10号, 10楼, 第十.
const WHOLE = new RegExp(`^第?([A-Z]?\\d+[A-Z]?|[A-Z]|[${NUMERAL}]+)(?:号|楼|号院)?$`);
const DIGITS = /\d+/;
const LETTER = /^[A-Z]$/;

/**
 * Normalised building number: 10号楼 = 10# = 10#楼 = 10栋 = 十号楼 = 10幢 = 10号 = 010 → '10';
 * A座 → 'A'; 2B栋 → '2B'. Reads the first building in a longer address. Text that holds no
 * building number is returned compacted and upper-cased (综合楼), so exotic values still compare
 * exactly; '' for empty input.
 */
export function buildingKey(raw: string | number | null | undefined): string {
  const s = dropBrackets(compact(raw)).toUpperCase();
  if (s === '') return '';
  const m = STRONG.exec(s) ?? WHOLE.exec(s);
  if (!m) return s;
  return normaliseToken(m[1]) ?? s;
}

/** '010' → '10', '十' → '10', 'a' → 'A', '2B' → '2B'; null when a numeral does not parse. */
export function normaliseToken(token: string): string | null {
  const d = DIGITS.exec(token);
  if (d) return token.replace(d[0], String(parseInt(d[0], 10)));
  if (LETTER.test(token)) return token;
  const n = readInt(token);
  return n === null ? null : String(n);
}

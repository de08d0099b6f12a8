/**
 * East Asian wide and full-width characters: CJK ideographs and symbols, kana, hangul, full-width
 * forms, and the supplementary ideograph planes.
 */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\uD840-\uD87F][\uDC00-\uDFFF]/g;

/**
 * How many character columns (a spreadsheet column width's unit, the width of "0") a text takes
 * when printed: a wide character takes two, anything else one.
 */
export function displayWidth(text: string): number {
  const wide = text.match(WIDE);
  if (!wide) return text.length;
  const wideUnits = wide.reduce((n, ch) => n + ch.length, 0);
  return text.length - wideUnits + wide.length * 2;
}

/** Lines a text wraps into in a column `width` characters wide (at least one; explicit line breaks kept). */
export function wrappedLines(text: string, width: number): number {
  // A cell loses about a character to its padding.
  const usable = Math.max(1, width - 1);
  return text.split('\n').reduce((lines, line) => lines + Math.max(1, Math.ceil(displayWidth(line) / usable)), 0);
}

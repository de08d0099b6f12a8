/**
 * East Asian wide and full-width characters of the Basic Multilingual Plane: hangul jamo, CJK
 * symbols and punctuation, kana, CJK ideographs, Yi, hangul syllables, compatibility ideographs,
 * CJK compatibility forms, full-width forms. (Characters beyond it, supplementary ideographs and
 * emoji, are wide too.)
 */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6],
];

function isWide(code: number): boolean {
  if (code < 0x1100) return false;
  for (const [from, to] of WIDE_RANGES) if (code >= from && code <= to) return true;
  return false;
}

/**
 * How many character columns (a spreadsheet column width's unit, the width of "0") a text takes
 * when printed: a wide character takes two, anything else one. A loop over code units, not a
 * regular expression: a million-row roster measures every text cell.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      width += 2;
      i++;
    } else width += isWide(code) ? 2 : 1;
  }
  return width;
}

/** Lines a text wraps into in a column `width` characters wide (at least one; explicit line breaks kept). */
export function wrappedLines(text: string, width: number): number {
  // A cell loses about a character to its padding.
  const usable = Math.max(1, width - 1);
  const linesOf = (line: string) => Math.max(1, Math.ceil(displayWidth(line) / usable));
  return text.includes('\n') ? text.split('\n').reduce((lines, line) => lines + linesOf(line), 0) : linesOf(text);
}

import { compact, dropBrackets, NUMERAL, readInt } from './internal';

/** A building number as sources compare it, and as the registry shows it. */
export interface BuildingNumber {
  /** Normalised number used to match buildings across sources: '10', 'A', '3-2', '10A'. */
  key: string;
  /** Canonical display form: '10号楼', or 'A座' for lettered blocks. */
  label: string;
}

/**
 * Words after a number that can only mean "building", longest first (号楼 before 号). For
 * searching inside longer text: 号 alone is left out (it is also a room or a street number).
 */
export const BUILDING_WORD = '号楼栋|号楼|#楼|#|栋楼|栋|幢楼|幢|座';
// The same words plus the weak ones a 楼栋号 cell may end in on its own: 10号, 10楼.
const CELL_SUFFIX = new RegExp(`(?:${BUILDING_WORD}|号|楼)$`);
// Typed between a number and its building word (10-号楼, 10 . 栋): never part of the number.
const SEPARATORS = /^[-_.·、]+|[-_.·、]+$/g;
const SUB_NUMBERED = /^\d+(?:-\d+)?$/;
const DASHES = /[—–~－]/g;
const LETTERED = /^(?:[A-Z]{1,2}|\d+[A-Z]|[A-Z]\d+)$/;

// A building number followed by a building word, searched anywhere so that 航苑小区8号楼2单元 and
// 丰州路85号院10号楼 give 8 and 10 (85号院 is the compound's address).
const IN_TEXT = new RegExp(
  `(?:^|第|[^${NUMERAL}A-Z-])(\\d+-\\d+|[A-Z]?\\d+[A-Z]?|[A-Z]|[${NUMERAL}]+)[-_]?(?:${BUILDING_WORD})`,
);

/**
 * The building a 楼栋号 cell names: 10号楼 = 10# = 10#楼 = 10栋 = 10幢 = 10号 = 10楼 = 十号楼 =
 * 第10栋 = 10-号楼 = １０号楼 = 010 = 10 → '10'; A座 → 'A'; 3-2号楼 → '3-2'; 10A栋 → '10A'.
 * Null when the value is no building number: 10单元 is a unit, 综合楼 a name, 0号楼 nothing.
 */
export function parseBuildingNumber(raw: string | number | null | undefined): BuildingNumber | null {
  const core = upperCompact(raw).replace(/^第/, '').replace(CELL_SUFFIX, '');
  return buildingNumber(core);
}

/**
 * The number part of a building designation, without 第 or 号楼/栋/…: '10', '010', '十', 'a',
 * '2B', '3-2', '10-'. Null when it is not a number, a letter or a lettered number.
 */
export function buildingNumber(raw: string): BuildingNumber | null {
  const s = upperCompact(raw).replace(SEPARATORS, '');
  let key: string | null = null;
  if (SUB_NUMBERED.test(s)) key = s.split('-').map((part) => String(parseInt(part, 10))).join('-');
  else if (LETTERED.test(s)) key = s.replace(/^0+(?=\d)/, '');
  else {
    const n = readInt(s);
    if (n !== null) key = String(n);
  }
  if (key === null || /^0(?:-|$)/.test(key)) return null;
  return { key, label: /^[A-Z]+$/.test(key) ? `${key}座` : `${key}号楼` };
}

/**
 * Matching key of a building in any text: a 楼栋号 cell as parseBuildingNumber reads it, else the
 * first building named inside a longer text (航苑小区8号楼2单元501 → '8'). Text that names no
 * building is returned compacted and upper-cased (综合楼), so exotic values still compare exactly;
 * '' for empty input.
 */
export function buildingKey(raw: string | number | null | undefined): string {
  const s = upperCompact(raw);
  if (s === '') return '';
  const whole = parseBuildingNumber(s);
  if (whole) return whole.key;
  const m = IN_TEXT.exec(s);
  return (m && buildingNumber(m[1])?.key) || s;
}

/** Compact, without bracketed asides, upper case (a座 = A座), one kind of dash (3—2 = 3-2). */
function upperCompact(raw: string | number | null | undefined): string {
  return dropBrackets(compact(raw)).toUpperCase().replace(DASHES, '-');
}

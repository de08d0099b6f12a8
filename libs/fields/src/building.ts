import { cleanText, parseChineseNumber, toSimplified } from '@qc/text';
import { Cell, ParseResult, cellText, fail, ok } from './result';

export interface Building {
  /** Normalised number used to match buildings across sources: '10', 'A', '3-2', '10A'. */
  key: string;
  /** Canonical display form: '10号楼', or 'A座' for lettered blocks. */
  label: string;
}

// Building words in the order they must be tried (号楼 before 号 and 楼).
export const BUILDING_SUFFIX = '号楼|#楼|#|栋|幢|座';

/**
 * 楼栋号 cell → building key and label: 10号楼, 10#, 10#楼, 10栋, 10幢, 10号, 10楼, 十号楼,
 * 第10栋, 010, A座, 3-2号楼 and the number 10 all give key '10' (or 'A', '3-2').
 */
export function parseBuilding(cell: Cell): ParseResult<Building> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const core = toSimplified(text.value)
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/^第/, '')
    .replace(new RegExp(`(?:${BUILDING_SUFFIX}|号|楼)$`), '');
  const building = buildingFromNumber(core);
  return building ? ok(building) : fail(`无法识别的楼栋号 (unrecognised building number "${text.value}")`);
}

/** Normalises the number part of a building designation (without 号楼/栋/…); null if it is none. */
export function buildingFromNumber(raw: string): Building | null {
  const s = cleanText(raw)
    .toUpperCase()
    .replace(/[—–~－]/g, '-');
  let key: string | undefined;
  if (/^\d+(?:-\d+)?$/.test(s))
    key = s
      .split('-')
      .map((part) => String(Number(part)))
      .join('-');
  else if (/^(?:[A-Z]{1,2}|\d+[A-Z]|[A-Z]\d+)$/.test(s)) key = s.replace(/^0+(?=\d)/, '');
  else {
    const n = parseChineseNumber(s);
    if (n !== null && n > 0) key = String(n);
  }
  if (key === undefined || key === '0') return null;
  return { key, label: /^[A-Z]+$/.test(key) ? `${key}座` : `${key}号楼` };
}

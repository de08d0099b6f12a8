import { cleanText, parseChineseNumber, toSimplified } from '@qc/text';

// Shared low-level helpers of @qc/naming. Not exported from the package entry.

const WHITESPACE = /\s+/g;
// Bracketed asides: （呼和浩特）, (老缸房街12号), 【筹】. cleanText already made （） half-width.
const BRACKETED = /[(\[【〔《][^()\[\]【】〔〕《》]*[)\]】〕》]/g;
const STRAY_BRACKETS = /[()\[\]【】〔〕《》]/g;

/** Any cell value → cleaned, simplified text with no whitespace at all. Never throws. */
export function compact(raw: unknown): string {
  if (raw == null) return '';
  const s = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'bigint' ? String(raw) : '';
  if (s === '') return '';
  return toSimplified(cleanText(s)).replace(WHITESPACE, '');
}

/**
 * Removes bracketed asides. If the whole text is one bracket, its content is kept instead:
 * an annotation is noise, but a value that is only an annotation is still the value.
 */
export function dropBrackets(s: string): string {
  if (s.indexOf('(') < 0 && s.indexOf('[') < 0 && s.indexOf('【') < 0 && s.indexOf('〔') < 0 && s.indexOf('《') < 0) {
    return s;
  }
  const out = s.replace(BRACKETED, '').replace(STRAY_BRACKETS, '');
  return out !== '' ? out : s.replace(STRAY_BRACKETS, '');
}

/** Characters that can make up a small ordinal: 1, 01, 十二, 两, 〇 (not 万/亿: no grid has that many). */
export const NUMERAL = '0-9零〇一二两三四五六七八九十百';
const ARABIC = /^\d+$/;

/** Integer from arabic or Chinese numerals, null when it is not one. */
export function readInt(s: string): number | null {
  if (s === '') return null;
  if (ARABIC.test(s)) return s.length > 15 ? null : parseInt(s, 10);
  return parseChineseNumber(s);
}

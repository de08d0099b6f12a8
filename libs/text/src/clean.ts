import { toHalfWidth } from './width';

// Invisible characters that survive copy-paste from Word/web pages and break equality:
// zero-width space/joiners, word joiner, BOM (also used as ZWNBSP) and soft hyphen.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/**
 * Canonical form for comparing and storing cell text: half-width, invisible characters removed,
 * any whitespace run (incl. NBSP, tabs, newlines) collapsed to one space, trimmed.
 * null/undefined become '' so callers can test emptiness with `!cleanText(x)`.
 */
export function cleanText(s: string | null | undefined): string {
  if (s == null) return '';
  return toHalfWidth(String(s)).replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

/**
 * Removes Unicode punctuation and symbols (。，·#（）- etc.), replacing each run with
 * `replacement`, then cleans the result. Use '' to build match keys, ' ' to keep word breaks.
 */
export function stripPunctuation(s: string, replacement = ''): string {
  return cleanText(s.replace(/[\p{P}\p{S}]+/gu, replacement));
}

import { because } from '@qc/reasons';
import { Cell, ParseResult, cellText, fail, ok } from './result';

// GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V; position = value 0..30.
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Check character for the first 17 characters of a unified social credit code. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * Unified social credit code (统一社会信用代码): 18 characters, upper-cased, spaces removed.
 * Registered codes that fail the check exist, so a wrong check character is accepted with the
 * flag 'check-failed' rather than rejected.
 */
export function parseCreditCode(cell: Cell): ParseResult<string> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const code = text.value.replace(/\s+/g, '').toUpperCase();
  if (code.length !== 18) return fail(because('credit-code-length', { length: code.length }));
  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return fail(because('credit-code-character', { character: bad }));
  return creditCodeCheckChar(code) === code[17] ? ok(code) : ok(code, ['check-failed']);
}

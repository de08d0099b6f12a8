import { because, Reason } from '@qc/reasons';
import { hohhotDay } from '@qc/time';
import { calendarProblem, isoDay } from './calendar';
import type { Sex } from './gender';
import { Cell, ParseResult, cellText, fail, ok } from './result';

/** A checked GB 11643-1999 number: an identity. */
export interface ValidCitizenId {
  kind: 'valid';
  id18: string;
  /** ISO day, e.g. '1985-03-12'. */
  birthDate: string;
  gender: Sex;
  regionCode: string;
}

/** An ID that passed through a floating-point number (Excel, JSON): only its prefix survives. */
export interface DamagedCitizenId {
  kind: 'damaged';
  /** Digits known to be right, at most 15. */
  prefix: string;
  regionCode?: string;
  birthDate?: string;
}

/** A deliberately masked ID such as 150105********123X: evidence, never an identity. */
export interface MaskedCitizenId {
  kind: 'masked';
  prefix: string;
  suffix: string;
  regionCode?: string;
  birthDate?: string;
  gender?: Sex;
}

/**
 * 18 characters whose check character does not match the other 17: a typing error (one digit
 * wrong, two digits swapped). Never an identity; its near misses (citizenIdNearMisses) say whose ID
 * it probably was.
 */
export interface MistypedCitizenId {
  kind: 'mistyped';
  /** The 18 characters as typed. Personal data: protect it before it leaves the parsing step. */
  typed: string;
  regionCode?: string;
  birthDate?: string;
}

export type CitizenIdEvidence = ValidCitizenId | DamagedCitizenId | MaskedCitizenId | MistypedCitizenId;

export interface CitizenIdOptions {
  /** Reference time for rejecting birth dates in the future; defaults to now. */
  now?: Date;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
// GB/T 2260 province-level codes (first two digits); anything else is not a real ID.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82,
]);
// Excel keeps 15 significant digits of a number.
const EXCEL_DIGITS = 15;

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Reads a citizen ID cell: 18-digit (checked), legacy 15-digit (upgraded, flag 'legacy-15'),
 * Excel/float-damaged numbers and masked IDs (partial evidence). Spaces, full-width digits and
 * a lowercase x are tolerated.
 */
export function parseCitizenId(cell: Cell, options: CitizenIdOptions = {}): ParseResult<CitizenIdEvidence> {
  const today = hohhotDay(options.now ?? new Date());
  if (typeof cell === 'number') return parseNumber(cell, today);
  const text = cellText(cell);
  if (!text.ok) return text;
  // Excel users prefix an apostrophe to force text; it is not part of the value.
  const s = text.value
    .replace(/\s+/g, '')
    .replace(/^['‘’`]/, '')
    .toUpperCase();

  const sci = /^(\d)(?:\.(\d+))?E\+?(\d+)$/.exec(s);
  if (sci) return parseScientific(sci[1] + (sci[2] ?? ''), Number(sci[3]) + 1, today);
  if (s.includes('*')) return parseMasked(s, today);
  if (/^\d{15}$/.test(s)) return parse15(s, today);
  if (/^\d{17}[\dX]$/.test(s)) return parse18(s, today);
  // The reason never quotes the value: it is shown wherever the row's problems are.
  return fail(because('id-format', { length: s.length }));
}

function parse18(id: string, today: string): ParseResult<CitizenIdEvidence> {
  const problem = regionProblem(id) ?? birthProblem(id.slice(6, 14), today);
  if (citizenIdCheckChar(id) !== id[17]) {
    // A float printed in full ends in 000; such a value lost its last digits, it was not mistyped.
    if (id.endsWith('000') && problem === null) return ok(damaged(id.slice(0, EXCEL_DIGITS), today));
    const mistyped: MistypedCitizenId = { kind: 'mistyped', typed: id };
    if (regionProblem(id) === null) mistyped.regionCode = id.slice(0, 6);
    if (birthProblem(id.slice(6, 14), today) === null) mistyped.birthDate = toIso(id.slice(6, 14));
    return ok(mistyped);
  }
  if (problem) return fail(problem);
  const valid: ValidCitizenId = {
    kind: 'valid',
    id18: id,
    birthDate: toIso(id.slice(6, 14)),
    gender: Number(id[16]) % 2 === 1 ? 'M' : 'F',
    regionCode: id.slice(0, 6),
  };
  // Passing the check with a 000 ending happens for real IDs but also by chance (1 in 11) for
  // a float-damaged one: let the caller weigh it.
  return ok(valid, id.endsWith('000') ? ['possibly-excel-damaged'] : undefined);
}

function parse15(id: string, today: string): ParseResult<CitizenIdEvidence> {
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  const upgraded = parse18(first17 + citizenIdCheckChar(first17), today);
  return upgraded.ok ? ok(upgraded.value, ['legacy-15']) : upgraded;
}

function parseNumber(n: number, today: string): ParseResult<CitizenIdEvidence> {
  if (!Number.isInteger(n) || n <= 0) return fail(because('id-not-integer', { value: n }));
  if (n < 1e15) {
    const s = String(n);
    return s.length === 15 ? parse15(s, today) : fail(because('id-digit-count', { digits: s.length }));
  }
  const [mantissa, exponent] = n.toExponential(EXCEL_DIGITS - 1).split('e');
  return parseScientific(mantissa.replace('.', ''), Number(exponent) + 1, today);
}

/** `digits` are the significant digits shown, `length` the number of digits the value had. */
function parseScientific(digits: string, length: number, today: string): ParseResult<CitizenIdEvidence> {
  if (length !== 18 && length !== 15) return fail(because('id-digit-count', { digits: length }));
  if (digits.length >= length) {
    const full = digits.slice(0, length);
    return length === 15 ? parse15(full, today) : parse18(full, today);
  }
  if (length === 15) return fail(because('id-15-truncated'));
  // 15 stored digits are exact, but a shorter display such as 1.50105E+17 is rounded, so only
  // the digits before its last non-zero digit can be trusted.
  const reliable =
    digits.length >= EXCEL_DIGITS ? digits.slice(0, EXCEL_DIGITS) : digits.replace(/0+$/, '').slice(0, -1);
  return ok(damaged(reliable, today));
}

function damaged(prefix: string, today: string): DamagedCitizenId {
  const result: DamagedCitizenId = { kind: 'damaged', prefix };
  if (prefix.length >= 6 && regionProblem(prefix) === null) result.regionCode = prefix.slice(0, 6);
  if (prefix.length >= 14 && birthProblem(prefix.slice(6, 14), today) === null) {
    result.birthDate = toIso(prefix.slice(6, 14));
  }
  return result;
}

function parseMasked(s: string, today: string): ParseResult<CitizenIdEvidence> {
  const m = /^(\d*)\*+(\d*X?)$/.exec(s);
  if (!m || (s.length !== 18 && s.length !== 15)) {
    return fail(because('id-masked-format', { length: s.length }));
  }
  const [, prefix, suffix] = m;
  const result: MaskedCitizenId = { kind: 'masked', prefix, suffix };
  if (prefix.length >= 6 && regionProblem(prefix) === null) result.regionCode = prefix.slice(0, 6);
  // Masks keep positions, so birth date and sequence digit are read where the layout puts them.
  const birth = s.length === 18 ? s.slice(6, 14) : `19${s.slice(6, 12)}`;
  if (/^\d{8}$/.test(birth) && birthProblem(birth, today) === null) result.birthDate = toIso(birth);
  const sequenceDigit = s[s.length === 18 ? 16 : 14];
  if (/\d/.test(sequenceDigit)) result.gender = Number(sequenceDigit) % 2 === 1 ? 'M' : 'F';
  return ok(result);
}

function regionProblem(digits: string): Reason | null {
  return PROVINCES.has(Number(digits.slice(0, 2))) ? null : because('id-region', { province: digits.slice(0, 2) });
}

function birthProblem(yyyymmdd: string, today: string): Reason | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1800) return because('id-birth-year', { year: y });
  const problem = calendarProblem(y, m, d);
  if (problem) return because('id-birth-date', { problem });
  return isoDay(y, m, d) > today ? because('id-birth-future', { date: isoDay(y, m, d) }) : null;
}

function toIso(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}

/**
 * The valid IDs a mistyped one was probably meant to be: every 18-digit ID with a matching check
 * character and a real birth date that differs from `typed` in one character, or by two adjacent
 * characters swapped (the two typing errors that a check character catches).
 */
export function citizenIdNearMisses(typed: string, options: CitizenIdOptions = {}): string[] {
  const today = hohhotDay(options.now ?? new Date());
  const candidates = new Set<string>();
  for (let i = 0; i < 17; i++) {
    for (const digit of '0123456789') {
      if (digit !== typed[i]) candidates.add(typed.slice(0, i) + digit + typed.slice(i + 1));
    }
  }
  candidates.add(typed.slice(0, 17) + citizenIdCheckChar(typed));
  for (let i = 0; i < 17; i++) {
    if (typed[i] !== typed[i + 1]) candidates.add(typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2));
  }
  return [...candidates].filter(
    (id) => /^\d{17}[\dX]$/.test(id) && citizenIdCheckChar(id) === id[17] && regionProblem(id) === null && birthProblem(id.slice(6, 14), today) === null,
  );
}

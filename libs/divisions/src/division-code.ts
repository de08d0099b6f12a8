import { DivisionLevel } from '@qc/database';
import { because, Reason } from '@qc/reasons';

/** Significant lengths of a statistical division code: city 4, district 6, street 9, community 12. */
const SIGNIFICANT_LENGTHS: Record<number, DivisionLevel> = { 4: 'city', 6: 'district', 9: 'street', 12: 'community' };

export type ParsedCode = { ok: true; code: string } | { ok: false; reason: Reason };

/**
 * Accepts the 12-digit code or its significant prefix (150105 and 150105000000 both name 赛罕区)
 * and returns the 12-digit code.
 */
export function parseDivisionCode(input: string): ParsedCode {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return { ok: false, reason: because('division-code-not-digits', { input }) };
  if (text.length === 12) return { ok: true, code: text };
  if (!(text.length in SIGNIFICANT_LENGTHS)) {
    return { ok: false, reason: because('division-code-length', { input }) };
  }
  return { ok: true, code: text.padEnd(12, '0') };
}

/** The level a 12-digit code names, read from its trailing zeros. */
export function levelOfCode(code: string): DivisionLevel {
  if (code.endsWith('00000000')) return 'city';
  if (code.endsWith('000000')) return 'district';
  if (code.endsWith('000')) return 'street';
  return 'community';
}

/** The digits every code inside the division starts with: 1501, 150105, 150105001, or the whole community code. */
export function significantPrefix(code: string): string {
  return code.slice(0, { city: 4, district: 6, street: 9, community: 12 }[levelOfCode(code)]);
}

/** The code of the division directly above: a community's street, a street's district, … */
export function parentOfCode(code: string): string | null {
  switch (levelOfCode(code)) {
    case 'community': return `${code.slice(0, 9)}000`;
    case 'street': return `${code.slice(0, 6)}000000`;
    case 'district': return `${code.slice(0, 4)}00000000`;
    default: return null;
  }
}

/** Hohhot is 1501: the registry holds nothing outside it. */
export const CITY_CODE = '150100000000';
export function isInCity(code: string): boolean {
  return code.startsWith(CITY_CODE.slice(0, 4));
}

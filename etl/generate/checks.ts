/**
 * Check characters of the two national identifiers the generator invents:
 * citizen ID numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015).
 */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Check character for the first 17 digits of an 18-digit citizen ID. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

export function isValidCitizenId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  return idCheckChar(id.slice(0, 17)) === id[17];
}

/** 18-digit ID → the legacy 15-digit form (drop the century and the check character). */
export function toLegacy15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/** 15-digit legacy ID → 18 digits (all 15-digit IDs are of people born 19xx). */
export function from15(id15: string): string {
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  return first17 + idCheckChar(first17);
}

/** Mask as the old app did: 6 digits, 8 stars, last 4. */
export function maskId(id18: string): string {
  return id18.slice(0, 6) + '********' + id18.slice(14);
}

/** The same ID with a wrong check character (a typing error the registry must see through). */
export function corruptCheck(id18: string): string {
  const right = id18[17];
  const idx = (ID_CHECK.indexOf(right) + 3) % 11;
  return id18.slice(0, 17) + ID_CHECK[idx];
}

export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`invalid USCC character ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidUscc(code: string): boolean {
  if (code.length !== 18) return false;
  for (const ch of code) if (USCC_ALPHABET.indexOf(ch) < 0) return false;
  return usccCheckChar(code.slice(0, 17)) === code[17];
}

/**
 * What each caller sees of a person's identifying fields: the one place that decides it.
 *
 * A caller with registry:read-pii (or admin) sees ID number, phone and birth date in clear, each
 * read audited (PersonalDataReader). Every other caller, and everything stored in clear at rest
 * (person.id_number_masked, raw rows, the change feed), gets the masked forms below. They are
 * chosen together, because an 18-digit ID is region (6) + birth date (8) + sequence (3, the last
 * one's parity is the gender) + check character, and each field shown elsewhere gives some away:
 *
 *  - ID number: the region only, 150105************. Neither the birth digits nor the check
 *    character (the latter, beside a birth date, leaves a tenth of the sequence numbers).
 *  - birth date: the year only (first day of the year, precision 'year').
 *  - phone: 138****5678, a landline 0471-****2345: 10,000 candidates (4 hidden digits).
 *  - gender: in clear (halves the candidates, counted below).
 *
 * Candidates left for an ID from everything a registry:read key sees at once (region, year,
 * gender): 365 birth days × 1,000 sequence numbers ÷ 2 (gender) = 182,500 (the check character
 * follows from the rest, so it adds none). At rest the birth date is kept to the day (matching
 * needs it) beside the gender and the region: 1,000 ÷ 2 = 500 candidates, and no ID is rebuilt
 * from the database without the encryption key. The visible last digits of an ID are kept only as
 * a keyed hash (PiiCipher.idDigitsKey), for matching.
 */
export interface DisclosedPersonalData {
  idNumber: string | null;
  phone: string | null;
  birthDate: string | null;
  birthPrecision: 'day' | 'month' | 'year' | null;
}

/** Digits of an 18-digit ID that a masked form keeps: the region. */
const ID_REGION_DIGITS = 6;
const ID_LENGTH = 18;

/** 150105198503121234 → 150105************ (and any visible prefix of a partial ID the same way). */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, ID_REGION_DIGITS)}${'*'.repeat(Math.max(id.length, ID_LENGTH) - ID_REGION_DIGITS)}`;
}

/** 13812345678 → 138****5678; landlines keep their area code and last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  const head = phone.includes('-') ? phone.slice(0, phone.indexOf('-') + 1) : '';
  return `${head}****${digits.slice(-4)}`;
}

/** A birth date as a caller without registry:read-pii sees it: the first day of its year. */
export function maskBirthDate(birthDate: string | null): Pick<DisclosedPersonalData, 'birthDate' | 'birthPrecision'> {
  if (!birthDate) return { birthDate: null, birthPrecision: null };
  return { birthDate: `${birthDate.slice(0, 4)}-01-01`, birthPrecision: 'year' };
}

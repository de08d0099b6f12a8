import { basename } from 'node:path';

/**
 * Seven or more digits in a row (single spaces or dashes between them allowed, an ID number's final
 * X included): long enough to be an ID number, a phone or a landline.
 */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d){6,}(?:[Xx](?![A-Za-z]))?(?!\d)/g;

/** YYYYMMDD (once separators are dropped) from 1900 to 2099: the day a file was made, not a person. */
function isCalendarDate(run: string): boolean {
  const digits = run.replace(/\D/g, '');
  if (digits.length !== 8 || /[Xx]$/.test(run)) return false;
  const [year, month, day] = [Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6))];
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * A file's name as it is stored and shown (batches, reports, messages, logs): file names are
 * personal data, since people name a roster after a member's ID number or phone. Every long digit
 * run is masked, except a date.
 */
export function maskFileName(name: string): string {
  return name.replace(DIGIT_RUN, (run) => (isCalendarDate(run) ? run : run.replace(/[\dXx]/g, '*')));
}

/** The masked name of the file at a path. */
export function displayFileName(path: string): string {
  return maskFileName(basename(path));
}

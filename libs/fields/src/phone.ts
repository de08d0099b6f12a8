import { because } from '@qc/reasons';
import { Cell, ParseResult, cellText, fail, ok } from './result';

export type Phone =
  | { kind: 'mobile'; number: string }
  /** `number` is normalised as '0471-1234567'. */
  | { kind: 'landline'; number: string; areaCode: string };

// Spreadsheets kept in Hohhot usually omit their own area code.
const LOCAL_AREA_CODE = '0471';

/**
 * Chinese mobile (11 digits, 1[3-9]…) or landline number. Accepts +86/0086/86 prefixes, spaces,
 * dashes, brackets and full-width digits. A cell listing several numbers (separated by / 、 , ;)
 * yields the first readable one with the flag 'multiple-numbers'; a bare 7–8 digit local
 * number gets the Hohhot area code with the flag 'area-code-assumed'.
 */
export function parsePhone(cell: Cell): ParseResult<Phone> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const parts = text.value.split(/[/、,;，；]+/).filter((p) => p.trim() !== '');
  // Reasons never quote the number: they are shown wherever the row's problems are.
  if (parts.length === 0) return fail(because('phone-empty'));
  const results = parts.map(parseOne);
  const first = results.find((r) => r.ok) ?? results[0];
  if (!first.ok || parts.length === 1) return first;
  return ok(first.value, [...(first.flags ?? []), 'multiple-numbers']);
}

function parseOne(raw: string): ParseResult<Phone> {
  let digits = raw.replace(/[\s\-()（）.]/g, '');
  if (!/^\+?\d+$/.test(digits)) return fail(because('phone-not-digits'));
  digits = digits.replace(/^(\+86|0086)/, '').replace(/^86(?=1[3-9]\d{9}$)/, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return ok({ kind: 'mobile', number: digits });
  if (digits.startsWith('0')) {
    // Beijing 010 and the 02x cities have three-digit area codes, everywhere else four.
    const areaLength = /^0[12]/.test(digits) ? 3 : 4;
    const areaCode = digits.slice(0, areaLength);
    const local = digits.slice(areaLength);
    if (/^[1-9]\d{6,7}$/.test(local))
      return ok({ kind: 'landline', number: `${areaCode}-${local}`, areaCode });
  } else if (/^[2-9]\d{6,7}$/.test(digits)) {
    // Without an area code, a leading 1 is more likely a mistyped mobile than a local number.
    return ok({ kind: 'landline', number: `${LOCAL_AREA_CODE}-${digits}`, areaCode: LOCAL_AREA_CODE }, [
      'area-code-assumed',
    ]);
  }
  return fail(because('phone-length', { digits: digits.length }));
}

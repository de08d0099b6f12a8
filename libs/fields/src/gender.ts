import { because } from '@qc/reasons';
import { Cell, ParseResult, cellText, fail, ok } from './result';

export type Sex = 'M' | 'F';

// GB/T 2261.1 codes 0 (unknown) and 9 (unspecified) are valid answers that carry no sex.
const VALUES = new Map<string, Sex | null>([
  ...['男', '男性', 'M', 'MALE', '1'].map((k) => [k, 'M'] as const),
  ...['女', '女性', 'F', 'FEMALE', '2'].map((k) => [k, 'F'] as const),
  ...['0', '9', '未知', '未说明'].map((k) => [k, null] as const),
]);

/** 男/女/男性/女性, GB/T 2261.1 codes 1/2/0/9 and M/F → 'M' | 'F' | null (unknown/unspecified). */
export function parseGender(cell: Cell): ParseResult<Sex | null> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const key = text.value.toUpperCase();
  const sex = VALUES.get(key);
  return sex !== undefined ? ok(sex) : fail(because('gender-unrecognised', { value: text.value }));
}

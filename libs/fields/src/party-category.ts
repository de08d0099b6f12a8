import { because } from '@qc/reasons';
import { toSimplified } from '@qc/text';
import { Cell, ParseResult, cellText, fail, ok } from './result';

export type PartyMemberCategory = 'full' | 'probationary';

/**
 * 人员类别 / 政治面貌 → full or probationary member. Accepts 正式党员/正式/预备党员/预备 and the
 * political-status wording 中共党员 / 中共预备党员 (GB/T 4762), where plain 党员 means full;
 * traditional characters too.
 */
export function parsePartyCategory(cell: Cell): ParseResult<PartyMemberCategory> {
  const text = cellText(cell);
  if (!text.ok) return text;
  const s = toSimplified(text.value)
    .replace(/\s+/g, '')
    .replace(/^(中国共产党|中共)/, '');
  if (/^预备(党员)?$/.test(s)) return ok('probationary');
  if (/^(正式(党员)?|党员)$/.test(s)) return ok('full');
  return fail(because('member-category-unrecognised', { value: text.value }));
}

import { compact, dropBrackets } from './internal';
import { splitPlacePrefix } from './place';

// A branch office is named after its company, then where or which branch it is: XX物业服务有限公司呼和浩特分公司,
// …公司回民区分公司, …公司第二分公司. The company's own name ends at its first 公司.
const BRANCH_OF_COMPANY = /^(.+?公司).+分公司$/;
// A branch office without its company's legal form: XX物业呼和浩特分公司.
const BRANCH_OFFICE = /(?:内蒙古|呼和浩特市?|呼市)?分公司$/;
// 有公司 / 有责任公司: what is left of 有限… when a mis-encoded character (U+FFFD, removed with the symbols) was 限.
const LEGAL_SUFFIX = /(?:股份有限公司|有限责任公司|有限公司|有责任公司|有公司|责任公司|股份公司|总公司|公司|集团|有限)$/;
// Words that say what every property company does or what its office is called (服务中心, 管理处);
// 物业 itself is kept as the industry word so that 日富物业 does not become a bare 日富 that could
// equal a 日富 restaurant.
const GENERIC_TAIL = /(?:服务中心|管理处|服务|管理|经营)$/;
// 物管 is the everyday short form of 物业管理: 日富物管 is 日富物业.
const SHORT_TRADE = /物管$/;
const PUNCT = /[\p{P}\p{S}]+/gu;

/**
 * Matching key of a company name: 日富物业 = 日富物业公司 = 呼和浩特市日富物业服务有限责任公司 =
 * 日富物业管理有限公司 = 内蒙古日富物业服务有限公司（呼和浩特） = 日富物业服务中心 = 日富物管 → 日富物业.
 * Removes the province/city prefix, bracketed asides, what follows the company's name in a branch
 * office's (…公司第二分公司), legal-form suffixes and generic activity words. The trade name is never
 * removed: a name that is only generic words keeps its last one.
 */
export function companyNameKey(raw: string | null | undefined): string {
  let s = dropBrackets(compact(raw)).replace(PUNCT, '');
  if (s === '') return '';
  s = splitPlacePrefix(s).rest;
  s = BRANCH_OF_COMPANY.exec(s)?.[1] ?? s;
  for (;;) {
    const before = s;
    if (SHORT_TRADE.test(s) && s.length > 3) s = s.replace(SHORT_TRADE, '物业');
    s = trimTail(s, BRANCH_OFFICE);
    s = trimTail(s, LEGAL_SUFFIX);
    s = trimTail(s, GENERIC_TAIL);
    if (s === before) return s;
  }
}

function trimTail(s: string, re: RegExp): string {
  const m = re.exec(s);
  return m && m.index >= 2 ? s.slice(0, m.index) : s;
}

// A short name without a legal form still names a company when it ends in its trade: 日富物业.
const TRADE_TAIL = /(?:物业|物业服务|物业管理)$/;

/** Whether a value reads as a company's name (a legal form or a property-trade ending): 日富物业服务有限责任公司, 日富物业. */
export function looksLikeCompanyName(raw: string | null | undefined): boolean {
  const s = dropBrackets(compact(raw));
  return s.length >= 4 && (LEGAL_SUFFIX.test(s) || TRADE_TAIL.test(s));
}

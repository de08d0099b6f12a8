import { NO_DATA } from './report-definition';

/** A value every row should have, or 无数据 where the imported sources left it out (README, Reports: empty and zero). */
export function orNoData<T>(value: T | null | undefined): T | typeof NO_DATA {
  return value === null || value === undefined || value === '' ? NO_DATA : value;
}

/** Words a printed report uses for the registry's codes. */
export const GENDER_NAMES: Record<string, string> = { M: '男', F: '女' };
export const CATEGORY_NAMES: Record<string, string> = { full: '正式党员', probationary: '预备党员' };

/** A date as precise as it is known: 1985-03-01 at month precision is 1985-03. */
export function dateAtPrecision(isoDate: string | null, precision: 'day' | 'month' | 'year' | null): string | null {
  if (!isoDate) return null;
  if (precision === 'year') return isoDate.slice(0, 4);
  if (precision === 'month') return isoDate.slice(0, 7);
  return isoDate;
}

// Proleptic Gregorian helpers shared by the date and citizen-ID parsers.

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Null when the date exists, otherwise a short reason naming the bad part. */
export function calendarProblem(year: number, month: number, day?: number): string | null {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day !== undefined && (day < 1 || day > daysInMonth(year, month))) {
    return `${year}-${pad2(month)}-${pad2(day)} does not exist`;
  }
  return null;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

export function isoDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

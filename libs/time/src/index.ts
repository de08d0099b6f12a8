/**
 * Every time the registry shows is Hohhot time. Hohhot keeps China Standard Time (Asia/Shanghai),
 * UTC+8 all year with no daylight saving since 1991, so a fixed offset is exact.
 */
export const REGISTRY_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;

/** The wall-clock fields of a moment in Hohhot, as an ISO string without its zone. */
function hohhotWallClock(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 23);
}

/** ISO 8601 with the offset, for machines (the API's JSON): 2026-12-08T07:36:43.000+08:00. */
export function isoWithOffset(date: Date): string {
  return `${hohhotWallClock(date)}+08:00`;
}

/** For a person (CLI lists, messages): 2026-12-08 07:36. */
export function formatPersonTime(date: Date): string {
  return hohhotWallClock(date).slice(0, 16).replace('T', ' ');
}

/** The day in Hohhot, yyyy-mm-dd (archive folders, report dates). */
export function hohhotDay(date: Date): string {
  return hohhotWallClock(date).slice(0, 10);
}

/** JSON in which every Date is written as isoWithOffset, not in UTC (JSON.stringify's toISOString). */
export function stringifyWithOffsets(value: unknown): string {
  // The replacer sees a Date already turned into its UTC string; the holder still has the Date.
  return JSON.stringify(value, function (this: Record<string, unknown>, key, converted: unknown) {
    const original = this[key];
    return original instanceof Date ? isoWithOffset(original) : converted;
  });
}

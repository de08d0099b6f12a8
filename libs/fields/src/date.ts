import { because } from '@qc/reasons';
import { parseChineseNumber } from '@qc/text';
import { calendarProblem, isoDay, pad2 } from './calendar';
import { Cell, ParseResult, cellText, fail, ok } from './result';

export type DatePrecision = 'day' | 'month' | 'year';

export interface ParsedDate {
  /** '1985-03-12' (day), '1985-03' (month) or '1985' (year). */
  iso: string;
  precision: DatePrecision;
  year: number;
  month?: number;
  day?: number;
}

export interface DateOptions {
  /** Reference time for the two-digit-year pivot; defaults to now. */
  now?: Date;
}

const MIN_YEAR = 1800;
const MAX_YEAR = 2199;
// Epoch milliseconds from the JSON export are this large; Excel serials never are.
const EPOCH_MS_THRESHOLD = 1e11;
// Serial of 9999-12-31, Excel's last date.
const MAX_EXCEL_SERIAL = 2958465;
const DAY_MS = 86_400_000;

let chinaDayFormat: Intl.DateTimeFormat | undefined;

/**
 * Reads a date cell in any style seen in the sources: exceljs Date objects, Excel serial numbers
 * (1900 system), epoch milliseconds, ISO/slash/dot forms, 1985年3月12日 (also in Chinese
 * numerals), compact 19850312/198503, two-digit years (85-3-12) and year.month numbers (1985.03).
 * The result says how precise the source was. Impossible dates are rejected.
 * Flags: 'excel-serial', 'epoch-ms', 'two-digit-year', 'month-ambiguous'.
 */
export function parseDate(cell: Cell, options: DateOptions = {}): ParseResult<ParsedDate> {
  if (cell instanceof Date) return fromDateObject(cell);
  if (typeof cell === 'number') return fromNumber(cell);
  const text = cellText(cell);
  if (!text.ok) return text;
  return fromText(text.value, options.now ?? new Date());
}

function fromDateObject(d: Date): ParseResult<ParsedDate> {
  if (Number.isNaN(d.getTime())) return fail(because('date-object-invalid'));
  // exceljs builds date cells at UTC midnight of the day shown in Excel.
  return build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function fromNumber(n: number): ParseResult<ParsedDate> {
  if (!Number.isFinite(n)) return fail(because('not-a-date', { value: String(n) }));
  if (Math.abs(n) >= EPOCH_MS_THRESHOLD) return fromEpochMs(n);
  if (Number.isInteger(n)) {
    // Digits typed into a number cell: 19850312, 198503, 1985. Read as serials these would
    // be dates after 2400 or in 1904–1906, which our data never contains.
    if (n >= 18000101 && n <= 21991231) return fromDigits(String(n));
    if (n >= 180001 && n <= 219912 && n % 100 >= 1 && n % 100 <= 12) return fromDigits(String(n));
    if (n >= MIN_YEAR && n <= MAX_YEAR) return build(n);
  } else if (n >= MIN_YEAR && n < MAX_YEAR + 1) {
    // Likewise a fraction here is a typed year.month, not a 1904–1906 serial with a time.
    return fromYearDotMonth(n);
  }
  return fromExcelSerial(n);
}

/** 1985.03 typed into a number cell arrives as 1985.03; 1985.10 and 1985.1 are the same number. */
function fromYearDotMonth(n: number): ParseResult<ParsedDate> {
  const year = Math.floor(n);
  const hundredths = Math.round((n - year) * 100);
  if (Math.abs((n - year) * 100 - hundredths) > 1e-6) return fail(because('not-a-date', { value: String(n) }));
  if (hundredths === 10) return ok({ iso: String(year), precision: 'year', year }, ['month-ambiguous']);
  // .3 was typed as 1985.3 (March); .03 and .12 as two-digit months.
  return build(year, hundredths % 10 === 0 ? hundredths / 10 : hundredths);
}

function fromExcelSerial(n: number): ParseResult<ParsedDate> {
  const serial = Math.floor(n); // the fraction is the time of day
  if (serial < 1 || serial > MAX_EXCEL_SERIAL) return fail(because('not-a-date', { value: String(n) }));
  // Excel counts 1900-02-29, which never existed, as serial 60: serials after it are one too high.
  if (serial === 60) return fail(because('excel-serial-60'));
  const epoch = Date.UTC(1899, 11, serial > 60 ? 30 : 31);
  const d = new Date(epoch + serial * DAY_MS);
  return withFlag(build(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()), 'excel-serial');
}

function fromEpochMs(ms: number): ParseResult<ParsedDate> {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return fail(because('not-a-date', { value: String(ms) }));
  return withFlag(chinaDay(d), 'epoch-ms');
}

/** The calendar day in Beijing, where the exporting systems ran (including the 1986–91 DST). */
function chinaDay(d: Date): ParseResult<ParsedDate> {
  chinaDayFormat ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const parts = Object.fromEntries(chinaDayFormat.formatToParts(d).map((p) => [p.type, p.value]));
  return build(Number(parts.year), Number(parts.month), Number(parts.day));
}

function fromText(raw: string, now: Date): ParseResult<ParsedDate> {
  const withZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(raw);
  if (withZone) return chinaDay(new Date(raw.replace(' ', 'T')));
  // A time of day without a zone is local already: drop it.
  const s = raw.replace(/[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, '');

  if (/^-?\d{12,13}$/.test(s)) return fromEpochMs(Number(s));
  if (/^\d{8}$/.test(s) || /^\d{6}$/.test(s) || /^\d{4}$/.test(s)) return fromDigits(s);
  // General-formatted date cells exported as text show the bare serial.
  if (/^\d{5}$/.test(s)) return fromExcelSerial(Number(s));

  const sep = /^(\d{4}|\d{2})([-/.])(\d{1,2})(?:\2(\d{1,2}))?$/.exec(s);
  if (sep) {
    const [, y, , m, d] = sep;
    // 85.3 could be a decimal; a two-digit year is only trusted with a day part.
    if (y.length === 2 && d === undefined) return fail(because('not-a-date', { value: raw }));
    return withYear(y, now, (year) => build(year, Number(m), d === undefined ? undefined : Number(d)));
  }

  const cn = /^(.+?)年(?:(.+?)月份?(?:(.+?)[日号])?)?$/.exec(s.replace(/\s+/g, ''));
  if (cn) {
    const [, y, m, d] = cn;
    const year = parseChineseNumber(y);
    const month = m === undefined ? undefined : parseChineseNumber(m);
    const day = d === undefined ? undefined : parseChineseNumber(d);
    if (year === null || month === null || day === null) return fail(because('not-a-date', { value: raw }));
    return withYear(String(year).padStart(y.length === 2 ? 2 : 4, '0'), now, (yr) => build(yr, month, day));
  }
  return fail(because('date-unrecognised', { value: raw }));
}

function fromDigits(s: string): ParseResult<ParsedDate> {
  const year = Number(s.slice(0, 4));
  const month = s.length >= 6 ? Number(s.slice(4, 6)) : undefined;
  const day = s.length === 8 ? Number(s.slice(6, 8)) : undefined;
  return build(year, month, day);
}

/** Expands a two-digit year: one above this year's last two digits is 19xx, otherwise 20xx. */
function withYear(
  y: string,
  now: Date,
  next: (year: number) => ParseResult<ParsedDate>,
): ParseResult<ParsedDate> {
  if (y.length !== 2) return next(Number(y));
  const yy = Number(y);
  const century = yy > now.getUTCFullYear() % 100 ? 1900 : 2000;
  return withFlag(next(century + yy), 'two-digit-year');
}

function build(year: number, month?: number, day?: number): ParseResult<ParsedDate> {
  if (year < MIN_YEAR || year > MAX_YEAR) return fail(because('year-out-of-range', { year }));
  if (month === undefined) return ok({ iso: String(year), precision: 'year', year });
  const problem = calendarProblem(year, month, day);
  if (problem) return fail(because('date-nonexistent', { problem }));
  if (day === undefined) return ok({ iso: `${year}-${pad2(month)}`, precision: 'month', year, month });
  return ok({ iso: isoDay(year, month, day), precision: 'day', year, month, day });
}

function withFlag(result: ParseResult<ParsedDate>, flag: string): ParseResult<ParsedDate> {
  return result.ok ? ok(result.value, [...(result.flags ?? []), flag]) : result;
}

/** The first day of a parsed date's period, for a date column: 1985-03 → 1985-03-01, 1985 → 1985-01-01. */
export function firstDay(date: ParsedDate): string {
  return date.precision === 'day' ? date.iso : date.precision === 'month' ? `${date.iso}-01` : `${date.iso}-01-01`;
}

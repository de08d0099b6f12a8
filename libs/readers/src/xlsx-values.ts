import { CellValue } from './types';

/** Decode the `_xHHHH_` escapes OOXML uses for control characters in strings. */
export function decodeOoxmlEscapes(s: string): string {
  if (!s.includes('_x')) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Decode XML entities (used for attribute values we parse ourselves). */
export function decodeXmlEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

/**
 * True for number formats that display a date or time: y/m/d/h/s tokens outside quoted text,
 * escapes, colour/condition brackets. `[h]:mm` style elapsed times count as time.
 */
export function isDateFormat(fmt: unknown): boolean {
  if (typeof fmt !== 'string' || fmt === '' || fmt === 'General' || fmt === '@') return false;
  const cleaned = fmt
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/[_*]./g, '')
    .replace(/General/gi, '')
    .replace(/E[+-]/gi, '')
    .replace(/AM\/PM|A\/P/gi, 'h');
  return /[ymdhs]/i.test(cleaned);
}

/** Convert an Excel serial day number to a UTC Date. */
export function excelSerialToDate(serial: number, date1904 = false): Date | null {
  if (!Number.isFinite(serial)) return null;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const ms = Math.round(serial * 86_400_000);
  const d = new Date(epoch + ms);
  return Number.isNaN(d.getTime()) ? null : d;
}

function richTextToString(rich: unknown): string {
  if (!Array.isArray(rich)) return '';
  return rich.map((r) => (r && typeof (r as { text?: unknown }).text === 'string' ? (r as { text: string }).text : '')).join('');
}

/**
 * Normalise an exceljs cell value: rich text → plain string, formula → its result, hyperlink →
 * its text, error → null, date-formatted numbers → Date, OOXML escapes decoded.
 */
export function normaliseCellValue(value: unknown, numFmt?: unknown, date1904 = false): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return decodeOoxmlEscapes(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return isDateFormat(numFmt) ? excelSerialToDate(value, date1904) : value;
  }
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('error' in o) return null;
    if (Array.isArray(o.richText)) return decodeOoxmlEscapes(richTextToString(o.richText));
    if ('formula' in o || 'sharedFormula' in o || 'result' in o) {
      return normaliseCellValue(o.result, numFmt, date1904);
    }
    if ('text' in o) return normaliseCellValue(o.text, null, date1904);
    if ('sharedString' in o) return null;
  }
  return null;
}

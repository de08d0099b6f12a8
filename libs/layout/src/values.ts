import { parseAddress, parseCitizenId, parseCount, parseCreditCode, parseDate, parseEthnicGroup, parseGender, parsePartyCategory, parsePhone, parseBuilding } from '@qc/fields';
import { looksLikeCompanyName, normalizePersonName, parseGridName, parseOrgName } from '@qc/naming';
import type { CellValue } from '@qc/readers';
import { isEmptyCell, normalizeText } from './normalize';

/**
 * What a cell's value is, whatever its column's header says. Each value gets the most specific kind
 * that reads it, through the field parsers of @qc/fields and @qc/naming (the rules live there).
 */
export type ValueKind =
  | 'citizenId'
  | 'creditCode'
  | 'phone'
  | 'divisionCode'
  | 'gridCode'
  | 'date'
  | 'count'
  | 'gender'
  | 'ethnicity'
  | 'partyCategory'
  | 'yesNo'
  | 'education'
  | 'sequence'
  | 'building'
  | 'grid'
  | 'organization'
  | 'company'
  | 'community'
  | 'subdistrict'
  | 'district'
  | 'compound'
  | 'address'
  | 'personName'
  | 'text';

/**
 * How far a column's values alone say which field it is (when its header says nothing): an
 * 18-digit ID is unmistakable; a column of small numbers could be any count.
 */
export const VALUE_STRENGTH: Record<ValueKind, number> = {
  citizenId: 0.95, creditCode: 0.95, phone: 0.9, divisionCode: 0.85, gridCode: 0.85, date: 0.6, count: 0.3,
  gender: 0.9, ethnicity: 0.9, partyCategory: 0.85, yesNo: 0.5, education: 0.85, sequence: 0.75, building: 0.85, grid: 0.8, organization: 0.65,
  company: 0.8, community: 0.75, subdistrict: 0.75, district: 0.6, compound: 0.6, address: 0.6, personName: 0.55, text: 0,
};

/** Kinds a field of another kind may still hold now and then: a building numbered 10, a grid numbered 1. */
const ALSO_READS: Partial<Record<ValueKind, ValueKind[]>> = {
  building: ['count'],
  grid: ['count'],
  compound: ['address'],
  address: ['compound', 'building'],
  community: ['text'],
};

/** Levels of schooling as forms write them (大专, 硕士研究生, 初中及以下). */
const EDUCATION = /^(?:博士|硕士|研究生|大学|本科|大专|专科|中专|中技|技校|职高|高中|初中|小学|文盲)(?:研究生|本科|专科|学历|毕业|及以上|及以下|以上|以下)?$/;
const YES_NO = /^(?:是|否|有|无|√|×|Y|N|YES|NO)$/i;
const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/;
const DATE_TEXT = /^\d{2,4}\s*[-./年]\s*\d{1,2}/;
const COMMUNITY = /(?:社区|居委会|居民委员会|嘎查|村委会|村民委员会)$/;
const SUBDISTRICT = /(?:街道|街道办事处|镇|乡|苏木)$/;
const DISTRICT = /^.{1,6}(?:区|旗|县)$/;
const COMPOUND = /(?:小区|花园|家园|嘉园|公寓|新村|大院|号院|苑|里|城|府|湾)$/;
const ADDRESS = /(?:路|街|巷|道|大街)\d+号|\d+号楼?\d*单元|\d+室$/;
const BUILDING_WORD = /(?:号楼|#|栋|幢|座|楼)$/;
const CJK = /^[\u4e00-\u9fa5]+$/;
const NAME_SEPARATOR = /[·•.]/;

/** The kind of one non-empty cell value. */
export function valueKind(value: CellValue): ValueKind {
  if (value instanceof Date) return 'date';
  if (typeof value === 'boolean') return 'yesNo';
  if (typeof value === 'number') return numberKind(value);
  const text = normalizeText(value);
  if (/^\d+$/.test(text)) return digitsKind(text);
  if (/^\d{17}[\dXx]$/.test(text) || (text.includes('*') && parseCitizenId(text).ok)) return 'citizenId';
  if (MASKED_PHONE.test(text)) return 'phone';
  if (text.length === 18 && /[A-Z]/i.test(text) && parseCreditCode(text).ok) return 'creditCode';
  const phone = parsePhone(text);
  if (phone.ok && !phone.flags?.includes('area-code-assumed')) return 'phone';
  if (DATE_TEXT.test(text) && parseDate(text).ok) return 'date';
  // 十栋 is a building before it is a count of buildings: a count column holds bare numbers.
  if (BUILDING_WORD.test(text) && parseBuilding(text).ok) return 'building';
  if (parseCount(text).ok) return 'count';
  if (parseGender(text).ok) return 'gender';
  if (parsePartyCategory(text).ok) return 'partyCategory';
  if (YES_NO.test(text)) return 'yesNo';
  if (parseEthnicGroup(text).ok) return 'ethnicity';
  if (EDUCATION.test(text)) return 'education';
  if (parseOrgName(text).form !== 'unknown') return 'organization';
  if (looksLikeCompanyName(text)) return 'company';
  if (/网格/.test(text) && parseGridName(text).number !== null) return 'grid';
  if (readsAsAddress(text)) return 'address';
  if (COMMUNITY.test(text)) return 'community';
  if (SUBDISTRICT.test(text)) return 'subdistrict';
  if (COMPOUND.test(text)) return 'compound';
  if (DISTRICT.test(text)) return 'district';
  if (readsAsPersonName(text)) return 'personName';
  return 'text';
}

/** Two to four ideographs, or a longer Mongolian or Uyghur name written with a separator (乌云·其其格). */
function readsAsPersonName(text: string): boolean {
  const name = normalizePersonName(text);
  if (!CJK.test(name)) return false;
  return (name.length >= 2 && name.length <= 4) || (NAME_SEPARATOR.test(text) && name.length <= 12);
}

function numberKind(n: number): ValueKind {
  if (!Number.isInteger(n)) return parseDate(n).ok && n > 1800 && n < 2200 ? 'date' : 'text';
  if (n >= 1e15) return parseCitizenId(n).ok ? 'citizenId' : 'text';
  return digitsKind(String(n));
}

function digitsKind(digits: string): ValueKind {
  switch (digits.length) {
    case 18:
      return 'citizenId';
    case 15:
      return 'gridCode';
    case 12:
      return 'divisionCode';
    case 11:
      return /^1[3-9]/.test(digits) ? 'phone' : 'text';
    case 8:
      return parseDate(Number(digits)).ok ? 'date' : 'phone';
    default:
      return digits.length <= 6 ? 'count' : 'text';
  }
}

/** The values seen in one column below the header: how many, and the share of each kind. */
export interface ColumnValues {
  filled: number;
  /** Column-wide patterns no single value shows: 1, 2, 3 … counting rows; only 1s and 2s (gender codes). */
  sequence: boolean;
  genderCodes: boolean;
  shares: Partial<Record<ValueKind, number>>;
  /** The kind most values have, and its share. */
  dominant: ValueKind | null;
  dominantShare: number;
}

/** Values sampled from the first data rows of each column. */
export function profileColumns(rows: CellValue[][], width: number): ColumnValues[] {
  const out: ColumnValues[] = [];
  for (let c = 0; c < width; c++) {
    const counts = new Map<ValueKind, number>();
    const numbers: (number | null)[] = [];
    let filled = 0;
    for (const row of rows) {
      const v = row[c] ?? null;
      if (isEmptyCell(v)) continue;
      filled++;
      numbers.push(integerOf(v));
      const kind = valueKind(v);
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const shares: Partial<Record<ValueKind, number>> = {};
    let dominant: ValueKind | null = null;
    let dominantShare = 0;
    for (const [kind, n] of counts) {
      shares[kind] = n / filled;
      if (n / filled > dominantShare) {
        dominant = kind;
        dominantShare = n / filled;
      }
    }
    const integers = numbers.every((n) => n !== null) ? (numbers as number[]) : [];
    out.push({
      filled,
      shares,
      dominant,
      dominantShare,
      sequence: integers.length >= 3 && integers.every((n, i) => i === 0 || n === integers[i - 1] + 1),
      genderCodes: integers.length >= MIN_VALUES && integers.every((n) => n === 1 || n === 2),
    });
  }
  return out;
}

function integerOf(v: CellValue): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(normalizeText(v)) ? Number(normalizeText(v)) : NaN;
  return Number.isInteger(n) ? n : null;
}

/** Fewer values than this say nothing about a column. */
export const MIN_VALUES = 2;

/**
 * How well a column's values fit a field expecting `kind`, 0..1; null when there are too few values to
 * tell. `strict` counts only values of that very kind: what a column with a meaningless header needs.
 */
export function valueAgreement(values: ColumnValues | undefined, kind: ValueKind | undefined, strict = false): number | null {
  if (!values || !kind || values.filled < MIN_VALUES) return null;
  if (kind === 'sequence') return values.sequence ? 1 : 0;
  // 1 and 2 are gender codes only under a header that asks for a gender: alone they are any small number.
  if (kind === 'gender' && values.genderCodes && !strict) return 1;
  let share = values.shares[kind] ?? 0;
  if (!strict) for (const also of ALSO_READS[kind] ?? []) share += 0.6 * (values.shares[also] ?? 0);
  return Math.min(1, share);
}

/** Values of these kinds are unmistakable: a column full of them is no field expecting something else. */
const UNMISTAKABLE: ReadonlySet<ValueKind> = new Set<ValueKind>(['citizenId', 'creditCode', 'phone', 'divisionCode', 'gridCode', 'date']);

/** True when most values are of an unmistakable kind other than `kind`: an ID column is not a phone column, whatever its header. */
export function valuesContradict(values: ColumnValues | undefined, kind: ValueKind | undefined): boolean {
  if (!values || !kind || values.filled < MIN_VALUES || !values.dominant) return false;
  if (values.dominant === kind || values.dominantShare < 0.7) return false;
  return UNMISTAKABLE.has(values.dominant) && !(ALSO_READS[kind] ?? []).includes(values.dominant);
}

/**
 * A header that lists the values its column holds (男女, 男/女, 是/否) names the kind of those
 * values; null when it is an ordinary header word.
 */
export function kindListedByHeader(header: string): ValueKind | null {
  const pieces = header.split(/[/、,，|]/).filter(Boolean);
  const parts = pieces.length === 1 && pieces[0].length === 2 ? [...pieces[0]] : pieces;
  if (parts.length < 2) return null;
  const kinds = new Set(parts.map((p) => valueKind(p)));
  const [kind] = kinds;
  return kinds.size === 1 && LISTABLE.has(kind) ? kind : null;
}

/** Kinds whose few values a header can list in full. */
const LISTABLE: ReadonlySet<ValueKind> = new Set<ValueKind>(['gender', 'yesNo', 'partyCategory']);

/** A street number, or a place down to its unit or room however the building is spelled (the address rule is @qc/fields'). */
function readsAsAddress(text: string): boolean {
  if (ADDRESS.test(text)) return true;
  const address = parseAddress(text);
  return address.ok && address.value.compound !== '' && (address.value.unit !== undefined || address.value.room !== undefined);
}

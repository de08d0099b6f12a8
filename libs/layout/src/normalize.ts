import type { CellValue } from '@qc/readers';
import { toSimplified } from '@qc/text';

const OPEN = '([{【〔〈《«〖';
/** CJK unified ideographs (not the compatibility block), ASCII letters and digits, and . - / : nothing to normalise. */
const ALREADY_NORMAL = /^[\u4e00-\u9fa5A-Za-z0-9.\-/]+$/;
const CLOSE = ')]}】〕〉》»〗';

/**
 * Normalise header text: NFKC (full-width → half-width), no whitespace or line breaks, no
 * zero-width characters, no required-field marks or trailing colons.
 */
export function normalizeText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  // An invalid date (a cell no calendar can hold) reads as nothing, not as a thrown RangeError.
  const s = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString()) : String(value);
  // Most cells are plain ideographs, letters and digits, which NFKC leaves as they are: skip the work.
  if (ALREADY_NORMAL.test(s)) return s;
  return s
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, '')
    .replace(/[*※★☆]/g, '')
    .replace(/[:：]+$/, '');
}

export interface HeaderForms {
  /** Brackets and separators removed, their content kept: 书记（负责人） → 书记负责人. */
  full: string;
  /** Bracketed parts removed: 户数（户） → 户数. */
  base: string;
  /** Only the bracketed parts: 书记（负责人） → 负责人. */
  inner: string;
}

export function headerForms(value: CellValue | undefined): HeaderForms {
  const norm = normalizeText(value);
  let base = '';
  let inner = '';
  let depth = 0;
  for (const ch of norm) {
    if (OPEN.includes(ch)) {
      depth++;
      continue;
    }
    if (CLOSE.includes(ch)) {
      if (depth > 0) depth--;
      continue;
    }
    if (depth > 0) inner += ch;
    else base += ch;
  }
  const strip = (s: string) => s.replace(/[/／、\\|_\-—·.]/g, '');
  const full = strip(
    norm
      .split('')
      .filter((c) => !OPEN.includes(c) && !CLOSE.includes(c))
      .join(''),
  );
  return { full, base: strip(base), inner: strip(inner) };
}

/** True when the cell carries nothing (null, empty or whitespace). */
export function isEmptyCell(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return normalizeText(value) === '';
  return false;
}

/** Values that look like data rather than header words: numbers, dates, digit runs (IDs, phones, dates). */
export function looksLikeData(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'number' || value instanceof Date || typeof value === 'boolean') return true;
  const t = normalizeText(value);
  return /\d{4,}/.test(t) || /^\d+([.\-/]\d+)*$/.test(t);
}

/** A header word reduced to what it names: 网格名称 → 网格名; a count word loses its 数 and says so (楼栋数 → 楼栋, counted). */
export interface HeaderStem {
  stem: string;
  /** The word ended in 数/数量/人数/个数/总数: the column counts something. */
  counted: boolean;
}

const COUNT_SUFFIX = /(?:人数|数量|个数|总数|数)$/;
const NAME_SUFFIX = /(?:姓名|名称|名字|全称)$/;

export function headerStem(word: string): HeaderStem {
  let found = stems.get(word);
  if (!found) {
    const counted = COUNT_SUFFIX.test(word) && word.length > 1;
    found = { stem: (counted ? word.replace(COUNT_SUFFIX, '') : word).replace(NAME_SUFFIX, '名'), counted };
    if (stems.size >= MAX_CACHED) stems.clear();
    stems.set(word, found);
  }
  return found;
}

const stems = new Map<string, HeaderStem>();

/** Words that only say where something belongs (所在社区, 所属社区, 归属社区: 社区). */
const LOCATIVE_PREFIX = /^(?:所在|所属|归属|隶属)(?=..)/;
/** Endings that say the column holds a date, however worded (成立年月, 成立时间, 成立日期). */
const DATE_MARKER = /(?:年月日|年月|日期|时间|年份|年度)$/;
/** Head nouns that all say "the kind of" (组织类型, 组织类别, 组织性质, 组织形式). */
const KIND_NOUN = /(?:类型|类别|性质|形式|种类)$/;
/** Endings that add nothing to what a column holds (学历情况, 户主信息). */
const FILLER_END = /(?:情况|信息)$/;

/**
 * A header stem reduced to its content: in simplified characters (性別: 性别), filler endings and
 * locative prefixes dropped, every date ending written 日期 and every "kind of" noun 类型, so that two
 * wordings of one column meet.
 */
export function headerCore(stem: string): string {
  let core = cores.get(stem);
  if (core === undefined) {
    const simplified = toSimplified(stem);
    core = (simplified.replace(FILLER_END, '') || simplified).replace(DATE_MARKER, '日期').replace(KIND_NOUN, '类型').replace(LOCATIVE_PREFIX, '');
    if (cores.size >= MAX_CACHED) cores.clear();
    cores.set(stem, core);
  }
  return core;
}

/**
 * Header words repeat across sheets and every synonym is compared again and again: each is reduced
 * once. A long-running worker sees many sheets, so a cache starts over past MAX_CACHED words.
 */
const cores = new Map<string, string>();
export const MAX_CACHED = 20_000;

/**
 * What a header is about once its date ending, "kind of" noun and "name of" ending are gone (成立日期:
 * 成立, 楼长名: 楼长): what two headers must share to be kin. Empty when nothing is left (姓名).
 */
export function headerTopic(stem: string): string {
  return headerCore(stem).replace(/(?:日期|类型|名)$/, '');
}

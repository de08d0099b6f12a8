import type { CellValue, RawRow } from '@qc/readers';
import { because, Reason, reasonText } from '@qc/reasons';
import { HeaderForms, headerCore, headerForms, HeaderStem, headerStem, headerTopic, isEmptyCell, looksLikeData, normalizeText } from './normalize';
import { containment, looseSimilarity, secondCharacterSlipped, sharedCharacters } from './similarity';
import { LayoutProfile, resolveSheetProfile, SheetProfile, ColumnRef } from './profile';
import { ColumnValues, kindListedByHeader, profileColumns, VALUE_STRENGTH, valueAgreement, ValueKind, valuesContradict } from './values';
import { COMMON_FIELDS, ENTITIES, EntityDef, EntityKind, entityDef, fieldLabel, fieldValueKind, NEUTRAL_FIELDS } from './vocabulary';

/** How many leading rows are searched for the header. */
export const HEADER_SCAN_ROWS = 30;

export interface Layout {
  sheet: string | null;
  /** The entity the sheet describes; null when no header row was found. */
  entity: EntityKind | null;
  /** Confidence of the entity decision, 0..1. */
  score: number;
  /** Line numbers (Excel rows / CSV lines) of the header rows. */
  headerRows: number[];
  /** First line that may hold data. */
  dataStartLine: number;
  /** Canonical field → 0-based column index. */
  columns: Record<string, number>;
  /** Header text per column as the sheet shows it ("" where none; two-row headers joined by "/"). */
  headers: string[];
  /** Normalised header words per column, used to spot repeated header rows. */
  headerTokens: string[][];
  /** Non-empty headers that map to no field. */
  unmapped: string[];
  /** Required fields not found (alternatives joined by "|"). */
  missingRequired: string[];
  /** Title/notice rows above the header (e.g. "…社区党员花名册（2023年）"). */
  titles: string[];
  /** Every entity considered, best first. */
  candidates: { entity: EntityKind; score: number; missing: string[] }[];
  /** How far the chosen entity's score is ahead of the next best (unclipped). */
  margin: number;
  /** How each mapped field was recognised: by its header, by its values, or both. */
  evidence: Record<string, Evidence>;
  /** Columns with a header or values that map to no field, each with the reason. */
  ignored: IgnoredColumn[];
  /** Doubts worth a person's look: ambiguous columns, columns a sheet of its kind usually has. */
  warnings: Reason[];
  /** Name of the profile applied, if any. */
  profile?: string;
}

export type Evidence = 'header' | 'values' | 'header+values';

export interface IgnoredColumn {
  /** 0-based column index. */
  column: number;
  /** The header as the sheet shows it; '' where there is none. */
  header: string;
  reason: Reason;
}

export type RowKind = 'data' | 'blank' | 'subtotal' | 'repeated-header' | 'note';

interface ColumnHeader {
  display: string;
  /** Alternative readings of the column header, best-first. */
  forms: HeaderForms[];
  tokens: string[];
  /** The header names a count (楼栋数, 党员人数): it is no building number or name. */
  counted: boolean;
  /** The kind of values the header lists (男女: gender), if it lists any. */
  listed: ValueKind | null;
}

interface PreparedField {
  field: string;
  synonyms: string[];
  kind: ValueKind | undefined;
}

/** How well one column reads as one field: from its header, its values, and both together. */
interface FieldMatch {
  col: number;
  field: string;
  score: number;
  header: number;
  values: number | null;
}

interface EntityResult {
  def: EntityDef;
  columns: Map<string, number>;
  scores: Map<string, number>;
  /** Every (column, field) pair with some evidence, best first. */
  matches: FieldMatch[];
  /** Clipped to 0..1 for display. */
  score: number;
  /** Unclipped: what kinds are ranked and compared by. */
  rank: number;
  matchTotal: number;
  missing: string[];
}

/** A (column, field) pair is taken only from this score on. */
const ACCEPT_PAIR = 0.5;
/** Two fields of one column scoring within this of each other: the column is ambiguous. */
const AMBIGUOUS_GAP = 0.05;
/** Below this a sheet fits no kind at all. */
export const MIN_KIND_SCORE = 0.35;
/** The kind chosen must beat the next best by this much (unless the caller says otherwise). */
export const DEFAULT_KIND_MARGIN = 0.08;
/** Values this telling decide a column whatever its header; weaker ones only under a header that says nothing. */
const TELLING_VALUES = 0.7;
/** Headers that name no content: 列1, Column 2, F3, 字段4, Unnamed: 5. */
const PLACEHOLDER_HEADER = /^(?:列|字段|栏|column|col|field|f|unnamed:?)?\s*\d+$/i;

// ---------------------------------------------------------------------------------------------
// vocabulary matching

const preparedCache = new Map<EntityKind, PreparedField[]>();

function prepareFields(def: EntityDef, extra?: Record<string, string[]>): PreparedField[] {
  if (!extra || Object.keys(extra).length === 0) {
    const cached = preparedCache.get(def.entity);
    if (cached) return cached;
  }
  const all = [...def.fields, ...COMMON_FIELDS].map((f) => ({
    field: f.field,
    synonyms: [...f.synonyms, ...(extra?.[f.field] ?? [])].map((s) => headerForms(s).full).filter(Boolean),
    kind: fieldValueKind(f.field),
  }));
  if (!extra || Object.keys(extra).length === 0) preparedCache.set(def.entity, all);
  return all;
}

const ALL_SYNONYMS: string[] = Array.from(
  new Set(ENTITIES.flatMap((e) => prepareFields(e).flatMap((f) => f.synonyms))),
);

/**
 * How well a header reads as one of the synonyms: exact > exact without brackets > the same stem
 * (网格名称 = 网格名) > one containing the other (党员姓名 ⊃ 姓名, 联系手机 ⊃ 手机) > sharing most of
 * their parts in any order (社区专职工作者人数 ~ 专职社区工作者数) or with a character mistyped
 * (身分证号 ~ 身份证号).
 */
export function matchScore(forms: HeaderForms, synonyms: readonly string[], loose = true): number {
  let best = 0;
  if (!forms.full) return 0;
  const own = headerStem(forms.base || forms.full);
  for (const syn of synonyms) {
    const s = wordScore(forms, own, syn, loose);
    if (s > best) {
      best = s;
      if (best === 1) break;
    }
  }
  return best;
}

/** `loose`: also by the rules of similarity.ts and headerCore, which only a column's own header gets. */
function wordScore({ full, base, inner }: HeaderForms, own: HeaderStem, syn: string, loose: boolean): number {
  if (full === syn) return 1;
  if (base && base === syn) return 0.95;
  if (inner && inner === syn) return 0.9;
  const other = headerStem(syn);
  if (own.stem && own.stem === other.stem && own.counted === other.counted) return 0.92;
  const s = Math.max(containment(full, syn), containment(own.stem, other.stem));
  // A count is compared only with a count: 楼栋数 is no building number.
  if (!loose || own.counted !== other.counted || !own.stem || !other.stem) return s;
  const a = headerCore(own.stem);
  const b = headerCore(other.stem);
  if (a === b) return Math.max(s, 0.9);
  const alike = Math.max(s, containment(a, b), looseSimilarity(base || full, syn), looseSimilarity(own.stem, other.stem), looseSimilarity(a, b));
  return own.counted ? Math.max(alike, countedKin(a, b)) : alike;
}

/**
 * Two counts of one thing: one stem ends with the other (住户数 ~ 户数), or both stems are words the
 * vocabulary gives for one field (楼宇数 ~ 楼栋数, since 楼宇 and 楼栋 both name a building).
 */
function countedKin(a: string, b: string): number {
  if (a.endsWith(b) || b.endsWith(a)) return 0.5 + (0.3 * Math.min(a.length, b.length)) / Math.max(a.length, b.length);
  const left = conceptsOf().get(a);
  const right = conceptsOf().get(b);
  return left && right && [...left].some((c) => right.has(c)) ? 0.85 : 0;
}

/**
 * Each word of the vocabulary (reduced to its core) → the fields it names, as "entity.field". Built
 * on first use: reducing the words loads the traditional→simplified dictionary, which a command that
 * detects no sheet (`qingcheng imports`) need not load.
 */
let concepts: Map<string, Set<string>> | undefined;
const conceptsOf = (): Map<string, Set<string>> => (concepts ??= vocabularyConcepts());

function vocabularyConcepts(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of ENTITIES) {
    for (const f of [...e.fields, ...COMMON_FIELDS]) {
      for (const syn of f.synonyms) {
        const stem = headerStem(headerForms(syn).full);
        if (stem.counted || !stem.stem) continue;
        const core = headerCore(stem.stem);
        const set = out.get(core) ?? new Set<string>();
        set.add(`${e.entity}.${f.field}`);
        out.set(core, set);
      }
    }
  }
  return out;
}

/** Characters a header shares with its nearest synonym once date endings, "kind of" nouns and fillers are set aside, 0..1. */
function kinship(col: ColumnHeader, synonyms: readonly string[]): number {
  if (!col.forms.length) return 0;
  const own = headerTopic(headerStem(col.forms[0].base || col.forms[0].full).stem);
  let best = 0;
  for (const syn of synonyms) best = Math.max(best, sharedCharacters(own, headerTopic(headerStem(syn).stem)));
  return best;
}

function globalScore(value: CellValue): number {
  return matchScore(headerForms(value), ALL_SYNONYMS);
}

// ---------------------------------------------------------------------------------------------
// header rows

function distinctTexts(cells: CellValue[]): string[] {
  const set = new Set<string>();
  for (const c of cells) if (!isEmptyCell(c)) set.add(normalizeText(c));
  return [...set];
}

/** One value, alone or repeated across merged cells: a title or a notice, not a header. */
function isTitleLike(cells: CellValue[]): boolean {
  return distinctTexts(cells).length <= 1;
}

function hasData(cells: CellValue[]): boolean {
  return cells.some((c) => !isEmptyCell(c) && looksLikeData(c));
}

function headerRowScore(cells: CellValue[]): number {
  if (isTitleLike(cells)) return -Infinity;
  let score = 0;
  const seen = new Set<string>();
  for (const c of cells) {
    if (isEmptyCell(c)) continue;
    const t = normalizeText(c);
    if (seen.has(t)) continue;
    seen.add(t);
    if (looksLikeData(c)) {
      score -= 1;
      continue;
    }
    const g = globalScore(c);
    if (g >= 0.9) score += 1;
    else if (g >= 0.5 && t.length <= 12) score += 0.5;
  }
  return score;
}

function buildColumns(rows: CellValue[][]): ColumnHeader[] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  // forward-fill group labels of the upper rows into empty cells under which sub-headers sit
  const filled = rows.map((r, ri) => {
    if (ri === rows.length - 1) return r.slice();
    const out: CellValue[] = [];
    let carry: CellValue = null;
    for (let c = 0; c < width; c++) {
      const v = r[c] ?? null;
      if (!isEmptyCell(v)) carry = v;
      const below = rows.slice(ri + 1).some((rr) => !isEmptyCell(rr[c] ?? null));
      out.push(!isEmptyCell(v) ? v : below ? carry : null);
    }
    return out;
  });
  const cols: ColumnHeader[] = [];
  for (let c = 0; c < width; c++) {
    const pieces: string[] = [];
    for (const r of filled) {
      const v = r[c] ?? null;
      if (isEmptyCell(v)) continue;
      const s = String(v instanceof Date ? v.toISOString() : v).trim();
      if (pieces.length && normalizeText(pieces[pieces.length - 1]) === normalizeText(s)) continue;
      pieces.push(s);
    }
    const forms: HeaderForms[] = [];
    if (pieces.length) {
      forms.push(headerForms(pieces[pieces.length - 1]));
      if (pieces.length > 1) {
        forms.push(headerForms(pieces.join('')));
        for (let i = pieces.length - 2; i >= 0; i--) forms.push(headerForms(pieces[i]));
      }
    }
    cols.push({
      display: pieces.join('/'),
      forms,
      tokens: rows.map((r) => normalizeText(r[c] ?? null)).filter(Boolean),
      counted: forms.length > 0 && headerStem(forms[0].base || forms[0].full).counted,
      listed: pieces.length ? kindListedByHeader(normalizeText(pieces[pieces.length - 1])) : null,
    });
  }
  return cols;
}

// ---------------------------------------------------------------------------------------------
// entity mapping

function columnFieldScore(col: ColumnHeader, synonyms: string[]): number {
  let best = 0;
  col.forms.forEach((f, i) => {
    // Later readings (group label and sub-header joined, group label alone) are less trustworthy than
    // the sub-header: a group label names what its columns share (联系方式 over 党员状态 and 手机), so it
    // is read only word for word, and even an exact one is weighed against the column's values.
    const s = matchScore(f, synonyms, i === 0) * (i === 0 ? 1 : i === 1 ? 0.99 : 0.85);
    if (s > best) best = s;
  });
  return best;
}

function hintBonus(def: EntityDef, sheetName: string | null, titles: string[]): number {
  const name = normalizeText(sheetName ?? '');
  if (name && def.hints.some((h) => name.includes(h))) return 0.1;
  const t = titles.map((x) => normalizeText(x)).join(' ');
  if (t && def.hints.some((h) => t.includes(h))) return 0.05;
  return 0;
}

/**
 * One column read as one field. An exact header stands unless the values contradict it; a weaker
 * header is raised or lowered by how well the values fit; a meaningless header leaves the values
 * alone to decide, as far as their kind is distinctive.
 */
function fieldMatch(col: ColumnHeader, values: ColumnValues | undefined, field: PreparedField): Omit<FieldMatch, 'col' | 'field'> {
  let header = col.forms.length ? columnFieldScore(col, field.synonyms) : 0;
  if (col.counted && field.kind && field.kind !== 'count') header *= 0.5;
  if (field.kind && col.listed === field.kind) header = Math.max(header, 0.9);
  if (!field.kind && header < SLIPPED && slippedFrom(col, field.synonyms)) header = SLIPPED;
  const agree = namedWithoutKindWord(values, field.kind) ? NEUTRAL_AGREEMENT : valueAgreement(values, field.kind);
  // Values of another unmistakable kind demote the header: a little when it is exact (bad codes typed
  // under 社区代码 can look like phone numbers), enough to let the values' own field win the column.
  if (valuesContradict(values, field.kind)) return { score: header >= 0.9 ? header - 0.15 : header * 0.4, header, values: agree };
  if (agree === null || field.kind === undefined || header >= 0.9) return { score: header, header, values: agree };
  // Names, dates and counts are too common to claim a column whose header says something else (填报人).
  const strength = VALUE_STRENGTH[field.kind];
  const fromValues = strength >= TELLING_VALUES || saysNothing(col) ? strength * (valueAgreement(values, field.kind, true) ?? 0) : 0;
  const score = Math.max(header > 0 ? header + (agree - 0.6) * 0.35 : 0, fromValues, akinWithValues(col, values, field));
  return { score: Math.min(1, score), header, values: agree };
}

/** Agreement that neither raises nor lowers a header (see fieldMatch's header + (agree - 0.6) * 0.35). */
const NEUTRAL_AGREEMENT = 0.6;

/** Kinds a value shows only by its kind word (航苑小区, 兴康社区, 日富物业公司): written bare (航苑), it is just a word. */
const SHOWN_BY_KIND_WORD: ReadonlySet<ValueKind> = new Set<ValueKind>(['compound', 'community', 'subdistrict', 'district', 'company']);

/**
 * A column of bare words (桥华, 丰州园: names read as a person's name or as plain text) under a field that
 * its values could only confirm by a kind word: the values say nothing either way, so the header decides.
 */
function namedWithoutKindWord(values: ColumnValues | undefined, kind: ValueKind | undefined): boolean {
  if (!values || !kind || !SHOWN_BY_KIND_WORD.has(kind) || values.dominantShare < 0.7) return false;
  return values.dominant === 'personName' || values.dominant === 'text';
}

/** A two-character header one slipped character away from a synonym: just enough to take a column nothing else reads better. */
const SLIPPED = 0.55;

/**
 * The column's own header is a synonym with its second character slipped (备考 ~ 备注). Taken only for
 * fields whose values cannot confirm or deny the header (a note, a kind of organization): where values
 * can speak, the other rules let them.
 */
function slippedFrom(col: ColumnHeader, synonyms: readonly string[]): boolean {
  const own = col.forms[0];
  return !!own && synonyms.some((syn) => secondCharacterSlipped(own.base || own.full, syn));
}

/** A header that shares this much of a synonym's characters is akin to it (党组织负责人 ~ 党组织书记; 填报人 ~ 负责人 is not). */
const AKIN = 0.4;

/**
 * Values of the field's kind under a header akin to one of its synonyms: enough to take the column
 * (just above ACCEPT_PAIR, so a column that reads better by its header still wins the field).
 * Names, dates and counts are too common to claim a column on their own; with a kindred header they may.
 */
function akinWithValues(col: ColumnHeader, values: ColumnValues | undefined, field: PreparedField): number {
  const agree = valueAgreement(values, field.kind, true) ?? 0;
  if (agree < 0.8) return 0;
  const kin = kinship(col, field.synonyms);
  return kin >= AKIN ? ACCEPT_PAIR + 0.1 * kin * agree : 0;
}

function saysNothing(col: ColumnHeader): boolean {
  return !col.forms.length || PLACEHOLDER_HEADER.test(col.forms[0].full);
}

function mapEntity(
  def: EntityDef,
  cols: ColumnHeader[],
  values: ColumnValues[],
  sp: SheetProfile | undefined,
  sheetName: string | null,
  titles: string[],
): EntityResult {
  const fields = prepareFields(def, sp?.synonyms);
  const matches: FieldMatch[] = [];
  cols.forEach((col, ci) => {
    if (!col.forms.length && !values[ci]?.filled) return;
    for (const f of fields) {
      const m = fieldMatch(col, values[ci], f);
      if (m.score > 0.2) matches.push({ col: ci, field: f.field, ...m });
    }
  });
  matches.sort((a, b) => b.score - a.score || a.col - b.col);
  const columns = new Map<string, number>();
  const scores = new Map<string, number>();
  const usedCols = new Set<number>();
  for (const p of matches) {
    if (p.score < ACCEPT_PAIR || columns.has(p.field) || usedCols.has(p.col)) continue;
    columns.set(p.field, p.col);
    scores.set(p.field, p.score);
    usedCols.add(p.col);
  }
  if (sp?.columns) applyColumnOverrides(columns, scores, sp.columns, cols);
  const required = sp?.required ? sp.required.map((r) => r.split('|')) : def.required;
  const missing = required.filter((alts) => !alts.some((f) => columns.has(f))).map((alts) => alts.join('|'));
  const contentCols = cols.filter((c, i) => c.forms.length || values[i]?.filled).length;
  let neutralCols = 0;
  let matched = 0;
  let matchTotal = 0;
  for (const [field] of columns) {
    const s = scores.get(field) ?? 1;
    matchTotal += s;
    if (NEUTRAL_FIELDS.has(field)) neutralCols++;
    else matched += s;
  }
  const coverage = matched / Math.max(1, contentCols - neutralCols);
  const keyHits = def.keys.filter((k) => columns.has(k)).length / def.keys.length;
  const rank = 0.55 * coverage + 0.45 * keyHits + hintBonus(def, sheetName, titles) - 0.3 * missing.length;
  return { def, columns, scores, matches, score: Math.max(0, Math.min(1, rank)), rank, matchTotal, missing };
}

function columnLetterToIndex(s: string): number {
  let n = 0;
  for (const ch of s.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function resolveColumnRef(ref: Exclude<ColumnRef, null>, cols: ColumnHeader[]): number {
  if (typeof ref === 'number') return ref;
  if (/^[A-Z]{1,3}$/.test(ref)) return columnLetterToIndex(ref);
  const want = headerForms(ref).full;
  const idx = cols.findIndex((c) => c.forms.some((f) => f.full === want) || headerForms(c.display).full === want);
  return idx;
}

function applyColumnOverrides(
  columns: Map<string, number>,
  scores: Map<string, number>,
  overrides: Record<string, ColumnRef>,
  cols: ColumnHeader[],
): void {
  for (const [field, ref] of Object.entries(overrides)) {
    columns.delete(field);
    scores.delete(field);
    if (ref === null) continue;
    const idx = resolveColumnRef(ref, cols);
    if (idx < 0) continue; // header text not present: the field stays missing
    for (const [f, c] of columns) {
      if (c === idx) {
        columns.delete(f);
        scores.delete(f);
      }
    }
    columns.set(field, idx);
    scores.set(field, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// detection

function bestEntity(
  cols: ColumnHeader[],
  values: ColumnValues[],
  sp: SheetProfile | undefined,
  sheetName: string | null,
  titles: string[],
): EntityResult[] {
  const defs = sp?.entity ? [entityDef(sp.entity)] : ENTITIES;
  return defs.map((d) => mapEntity(d, cols, values, sp, sheetName, titles)).sort((a, b) => b.rank - a.rank || b.matchTotal - a.matchTotal);
}

/** A group label row over sub-headers, or a header row whose vertically merged cells repeat. */
function groupEvidence(upper: CellValue[], lower: CellValue[]): boolean {
  if (distinctTexts(upper).length < 2 || hasData(upper) || hasData(lower)) return false;
  const width = Math.max(upper.length, lower.length);
  for (let c = 0; c < width; c++) {
    const u = upper[c] ?? null;
    if (isEmptyCell(u)) continue;
    const l = lower[c] ?? null;
    if (!isEmptyCell(l) && normalizeText(l) === normalizeText(u)) return true;
    if (globalScore(u) < 0.9 && (!isEmptyCell(l) || !isEmptyCell(lower[c + 1] ?? null))) return true;
  }
  return false;
}

function findHeaderRows(
  rows: RawRow[],
  sp: SheetProfile | undefined,
  sheetName: string | null,
): number[] {
  const scan = rows.slice(0, HEADER_SCAN_ROWS);
  let best = -1;
  let bestScore = 1.5; // at least two header words
  scan.forEach((r, i) => {
    const s = headerRowScore(r.cells);
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  });
  if (best < 0) return wordlessHeader(scan);
  const total = (idx: number[]) => {
    const cols = buildColumns(idx.map((i) => scan[i].cells));
    return bestEntity(cols, [], sp, sheetName, [])[0]?.matchTotal ?? 0;
  };
  const single = total([best]);
  // group row above?
  if (best > 0) {
    const up = scan[best - 1];
    if (up.line === scan[best].line - 1 && !isTitleLike(up.cells) && !hasData(up.cells)) {
      const pair = total([best - 1, best]);
      if (pair > single + 0.01 || (pair >= single - 0.01 && groupEvidence(up.cells, scan[best].cells))) {
        return [best - 1, best];
      }
    }
  }
  // sub-headers below?
  if (best + 1 < scan.length) {
    const down = scan[best + 1];
    if (down.line === scan[best].line + 1 && !isTitleLike(down.cells) && !hasData(down.cells)) {
      const pair = total([best, best + 1]);
      if (pair > single + 0.01 || (pair >= single - 0.01 && groupEvidence(scan[best].cells, down.cells))) {
        return [best, best + 1];
      }
    }
  }
  return [best];
}

/**
 * A header whose words the vocabulary does not know (列1, 列2, misspelt words): the first row of
 * several texts, none of them data, right above a row of data. Its columns are read by their values.
 */
function wordlessHeader(scan: RawRow[]): number[] {
  for (let i = 0; i + 1 < scan.length; i++) {
    const row = scan[i].cells;
    if (isTitleLike(row) || distinctTexts(row).length < 2 || hasData(row)) continue;
    return scan[i + 1].line === scan[i].line + 1 && hasData(scan[i + 1].cells) ? [i] : [];
  }
  return [];
}

/**
 * Find the header among the first rows of a sheet, map its columns to canonical fields and decide
 * which entity the sheet describes. A profile can pin the entity, the header rows and any column.
 */
export function detectLayout(sheetName: string | null, firstRows: RawRow[], profile?: LayoutProfile): Layout {
  const sp = resolveSheetProfile(profile, sheetName);
  const scan = firstRows.slice(0, HEADER_SCAN_ROWS);
  let headerIdx: number[];
  if (sp?.headerRows && sp.headerRows.length) {
    headerIdx = sp.headerRows.map((ln) => firstRows.findIndex((r) => r.line === ln)).filter((i) => i >= 0);
  } else {
    headerIdx = findHeaderRows(scan, sp, sheetName);
  }
  const headerRows = sp?.headerRows && sp.headerRows.length ? [...sp.headerRows] : headerIdx.map((i) => firstRows[i].line);
  const firstHeader = headerIdx.length ? Math.min(...headerIdx) : scan.length;
  const titles = firstRows
    .slice(0, firstHeader)
    .filter((r) => isTitleLike(r.cells) && distinctTexts(r.cells).length === 1)
    .map((r) => String(r.cells.find((c) => !isEmptyCell(c)) ?? '').trim());
  const lastHeaderLine = headerRows.length ? Math.max(...headerRows) : 0;
  const dataStartLine = sp?.dataStartLine ?? lastHeaderLine + 1;
  const sample = firstRows.filter((r) => r.line >= dataStartLine && !isTitleLike(r.cells) && !isSubtotal(r.cells)).map((r) => r.cells);
  const cols = buildColumns(headerIdx.map((i) => firstRows[i].cells));
  const width = Math.max(cols.length, ...sample.map((r) => r.length));
  while (cols.length < width) cols.push({ display: '', forms: [], tokens: [], counted: false, listed: null });
  const values = headerIdx.length ? profileColumns(sample, width) : [];
  const base = {
    sheet: sheetName,
    headerRows,
    dataStartLine,
    headers: cols.map((c) => c.display),
    headerTokens: cols.map((c) => c.tokens),
    titles,
    profile: profile?.name,
  };
  if (!headerIdx.length && !(sp?.entity && sp.columns && Object.keys(sp.columns).length)) {
    const entity = sp?.entity ?? null;
    const required = entity ? (sp?.required ?? entityDef(entity).required.map((a) => a.join('|'))) : [];
    return { ...base, entity, score: 0, columns: {}, unmapped: [], missingRequired: required, candidates: [], margin: 0, evidence: {}, ignored: [], warnings: [] };
  }
  const results = bestEntity(cols, values, sp, sheetName, titles);
  const win = results[0];
  const columns: Record<string, number> = {};
  const evidence: Record<string, Evidence> = {};
  for (const [f, c] of [...win.columns].sort((a, b) => a[1] - b[1])) {
    columns[f] = c;
    // A column a profile pinned has no match of its own: its header named it.
    const m = win.matches.find((x) => x.field === f && x.col === c);
    evidence[f] = !m ? 'header' : m.header < ACCEPT_PAIR ? 'values' : (m.values ?? 0) >= 0.6 ? 'header+values' : 'header';
  }
  const ignored = ignoredColumns(win, cols, values);
  return {
    ...base,
    entity: win.def.entity,
    score: Math.round(win.score * 1000) / 1000,
    columns,
    unmapped: ignored.filter((i) => i.header !== '').map((i) => i.header),
    missingRequired: win.missing,
    candidates: results.map((r) => ({ entity: r.def.entity, score: Math.round(r.score * 1000) / 1000, missing: r.missing })),
    margin: results.length > 1 ? Math.round((win.rank - results[1].rank) * 1000) / 1000 : 1,
    evidence,
    ignored,
    warnings: [...ambiguousColumns(win, cols), ...missingKeys(win)],
  };
}

function columnName(cols: ColumnHeader[], c: number): string {
  return cols[c]?.display ? cols[c].display : `column ${c + 1}`;
}

/** Every column with a header or values that no field took, and why. */
function ignoredColumns(win: EntityResult, cols: ColumnHeader[], values: ColumnValues[]): IgnoredColumn[] {
  const used = new Set(win.columns.values());
  const label = win.def.label;
  const out: IgnoredColumn[] = [];
  cols.forEach((col, c) => {
    if (used.has(c) || (!col.display && !values[c]?.filled)) return;
    const best = win.matches.find((m) => m.col === c);
    let reason: Reason;
    if (!best) reason = col.display ? because('column-unknown', { label }) : because('column-unknown-values', { label });
    else if (best.score >= ACCEPT_PAIR) {
      const taker = win.columns.get(best.field);
      const field = { field: best.field, fieldLabel: fieldLabel(win.def.entity, best.field) };
      reason = taker === undefined ? because('column-left-out', field) : because('column-taken-elsewhere', { ...field, taker: columnName(cols, taker) });
    } else reason = because('column-weak', { field: best.field, fieldLabel: fieldLabel(win.def.entity, best.field), score: best.score.toFixed(2) });
    out.push({ column: c, header: col.display, reason });
  });
  return out;
}

/** A column taken as one field while another field reads it almost as well. */
function ambiguousColumns(win: EntityResult, cols: ColumnHeader[]): Reason[] {
  const out: Reason[] = [];
  for (const [field, c] of win.columns) {
    const chosen = win.scores.get(field) ?? 1;
    const rival = win.matches.find((m) => m.col === c && m.field !== field && m.score >= ACCEPT_PAIR && chosen - m.score <= AMBIGUOUS_GAP && !win.columns.has(m.field));
    if (rival) {
      const e = win.def.entity;
      out.push(because('column-ambiguous', { column: columnName(cols, c), field, fieldLabel: fieldLabel(e, field), rival: rival.field, rivalLabel: fieldLabel(e, rival.field) }));
    }
  }
  return out;
}

/** The columns a sheet of this kind usually has (its keys) that this one lacks. */
function missingKeys(win: EntityResult): Reason[] {
  const lacking = win.def.keys.filter((k) => !win.columns.has(k));
  if (!lacking.length) return [];
  return [because('key-columns-missing', { fields: lacking.map((k) => `${fieldLabel(win.def.entity, k)} (${k})`), label: win.def.label })];
}

function isSubtotal(cells: CellValue[]): boolean {
  return cells.slice(0, 3).some((c) => typeof c === 'string' && SUBTOTAL.test(normalizeText(c)));
}

// ---------------------------------------------------------------------------------------------
// row classification

const SUBTOTAL = /合计|小计|总计/;
const NOTE_START = /^(注|说明|备注|填表|制表|审核|填报|统计时间|统计日期|数据来源|联系人)/;

/** What a row after the header is: data, blank, subtotal, a repeated header, or a note. */
export function classifyRow(cells: CellValue[], layout: Layout): RowKind {
  // Each filled cell is normalised once (t): rows are classified by the million.
  const filled: { v: CellValue; i: number; t: string }[] = [];
  cells.forEach((v, i) => {
    if (isEmptyCell(v)) return;
    filled.push({ v, i, t: normalizeText(v) });
  });
  if (!filled.length) return 'blank';
  for (const { v, t } of filled.slice(0, 3)) {
    if (typeof v !== 'string') continue;
    if (t.length <= 16 && SUBTOTAL.test(t) && !NOTE_START.test(t)) return 'subtotal';
  }
  let same = 0;
  for (const { t, i } of filled) {
    const tokens = layout.headerTokens[i];
    if (tokens && tokens.includes(t)) same++;
  }
  if (same >= 2 && same / filled.length >= 0.6) return 'repeated-header';
  const distinct = new Set(filled.map(({ t }) => t));
  const requiredCols = new Set(
    layout.missingRequired.length === 0 && layout.entity
      ? requiredFieldsOf(layout).map((f) => layout.columns[f]).filter((c) => c !== undefined)
      : [],
  );
  const first = filled[0];
  const firstText = typeof first.v === 'string' ? first.t : '';
  if (distinct.size === 1) {
    if (filled.length >= 2) return 'note'; // one text across merged cells
    if (typeof first.v === 'string' && (NOTE_START.test(firstText) || !requiredCols.has(first.i)) && !looksLikeData(first.v)) {
      return firstText.length >= 2 && !mappedToName(layout, first.i) ? 'note' : 'data';
    }
  }
  if (NOTE_START.test(firstText) && /[:：]/.test(String(first.v)) && ![...requiredCols].some((c) => filled.some((f) => f.i === c && f !== first))) {
    return 'note';
  }
  return 'data';
}

function requiredFieldsOf(layout: Layout): string[] {
  if (!layout.entity) return [];
  return entityDef(layout.entity).required.flat();
}

function mappedToName(layout: Layout, col: number): boolean {
  return Object.entries(layout.columns).some(([f, c]) => c === col && /name|householder/i.test(f));
}

// ---------------------------------------------------------------------------------------------
// reporting

function rangeText(rows: number[]): string {
  if (!rows.length) return 'not found';
  const sorted = [...rows].sort((a, b) => a - b);
  const contiguous = sorted.every((r, i) => i === 0 || r === sorted[i - 1] + 1);
  if (sorted.length === 1) return `row ${sorted[0]}`;
  return contiguous ? `rows ${sorted[0]}–${sorted[sorted.length - 1]}` : `rows ${sorted.join(', ')}`;
}

function sheetLabel(layout: Layout): string {
  return layout.sheet === null ? 'file' : `sheet ${layout.sheet}`;
}

/** A one-paragraph, human-readable account of the mapping chosen. */
export function describeLayout(layout: Layout): string {
  const parts: string[] = [];
  const entity = layout.entity ? `${layout.entity} (${entityDef(layout.entity).label}, score ${layout.score.toFixed(2)})` : 'unknown content';
  const groups = [...new Set(layout.headers.filter((h) => h.includes('/')).map((h) => h.slice(0, h.lastIndexOf('/'))))];
  const groupText = groups.length ? ` (groups: ${groups.join(', ')})` : '';
  parts.push(`${sheetLabel(layout)}: ${entity}; header on ${rangeText(layout.headerRows)}${groupText}, data from row ${layout.dataStartLine}`);
  const maps = Object.entries(layout.columns)
    .sort((a, b) => a[1] - b[1])
    .map(([f, c]) => {
      const h = layout.headers[c] ?? '';
      return `${h ? h.slice(h.lastIndexOf('/') + 1) : `column ${c + 1}`} → ${f}`;
    });
  if (maps.length) parts.push(maps.join(', '));
  if (layout.unmapped.length) parts.push(`not used: ${layout.unmapped.join(', ')}`);
  if (layout.missingRequired.length) {
    parts.push(`MISSING required: ${layout.missingRequired.map((m) => labelRequired(layout.entity, m)).join(', ')}`);
  }
  if (layout.profile) parts.push(`profile ${layout.profile}`);
  return parts.join('; ');
}

function labelRequired(entity: EntityKind | null, req: string): string {
  return req
    .split('|')
    .map((f) => `${fieldLabel(entity, f)} (${f})`)
    .join(' or ');
}

/** Raised (or returned) when a sheet lacks a header or a required column. */
export class LayoutError extends Error {
  readonly sheet: string | null;
  readonly entity: EntityKind | null;
  readonly headersSeen: string[];
  readonly missing: string[];
  readonly reason: Extract<Reason, { code: 'header-not-found' | 'required-column-missing' }>;

  constructor(layout: Layout) {
    const seen = layout.headers.filter(Boolean);
    const reason = !layout.headerRows.length
      ? because('header-not-found', { where: sheetLabel(layout), rows: HEADER_SCAN_ROWS })
      : because('required-column-missing', {
        where: sheetLabel(layout), missing: layout.missingRequired.map((m) => labelRequired(layout.entity, m)), kind: layout.entity,
        label: layout.entity ? entityDef(layout.entity).label : null, headerRows: rangeText(layout.headerRows), headers: seen,
      });
    super(reasonText(reason));
    this.reason = reason;
    this.name = 'LayoutError';
    this.sheet = layout.sheet;
    this.entity = layout.entity;
    this.headersSeen = seen;
    this.missing = [...layout.missingRequired];
  }
}

/** The problem with a layout, or null when it can be used. */
export function layoutProblem(layout: Layout): LayoutError | null {
  if (!layout.headerRows.length && !Object.keys(layout.columns).length) return new LayoutError(layout);
  if (layout.missingRequired.length) return new LayoutError(layout);
  return null;
}

/** What to do with a sheet: import its rows, skip it (it holds no records), or refuse it (it cannot be read safely). */
export type SheetVerdict = { action: 'import' } | { action: 'skip' | 'refuse'; reason: Reason };

/** Sheet names that announce instructions, a table of contents or a chart rather than records. */
const NO_RECORDS_NAME = /填表说明|填报说明|说明|目录|封面|注意事项|图表|示例|样表|透视/;

/** The kinds considered for a sheet, best first, each with its score and what it lacked. */
export function describeCandidates(layout: Layout): string {
  return layout.candidates
    .map((c) => `${entityDef(c.entity).label} (${c.entity}) ${c.score.toFixed(2)}${c.missing.length ? `, lacks ${c.missing.map((m) => labelRequired(c.entity, m)).join(', ')}` : ''}`)
    .join('; ');
}

/**
 * Decide a sheet from its layout. A sheet without a header, named as instructions, or fitting no kind
 * holds no records and is skipped; a sheet that fits a kind but lacks its required column, or fits two
 * kinds almost equally (closer than `margin`), is refused, with what was seen and considered.
 */
export function sheetVerdict(layout: Layout, margin = DEFAULT_KIND_MARGIN): SheetVerdict {
  const where = sheetLabel(layout);
  const headers = layout.headers.filter(Boolean);
  if (!layout.headerRows.length && !Object.keys(layout.columns).length) {
    return { action: 'skip', reason: because('sheet-without-header', { where, rows: HEADER_SCAN_ROWS }) };
  }
  const name = normalizeText(layout.sheet ?? '');
  if (name && NO_RECORDS_NAME.test(name) && (layout.score < 0.6 || layout.missingRequired.length)) {
    return { action: 'skip', reason: because('sheet-instructions', { where, considered: describeCandidates(layout) }) };
  }
  if (!layout.entity || layout.score < MIN_KIND_SCORE) {
    return { action: 'skip', reason: because('sheet-unknown-kind', { where, headers, considered: describeCandidates(layout) }) };
  }
  const problem = layoutProblem(layout);
  if (problem) {
    const { reason } = problem;
    const considered = describeCandidates(layout);
    // One branch per code: only then does TypeScript know which parameters go with it.
    return {
      action: 'refuse',
      reason: reason.code === 'header-not-found' ? because(reason.code, { ...reason.params, considered }) : because(reason.code, { ...reason.params, considered }),
    };
  }
  if (layout.margin < margin) {
    const [a, b] = layout.candidates;
    return {
      action: 'refuse',
      reason: because('sheet-ambiguous-kind', {
        where, first: entityDef(a.entity).label, firstKind: a.entity, firstScore: a.score.toFixed(2), second: entityDef(b.entity).label, secondKind: b.entity,
        secondScore: b.score.toFixed(2), margin: layout.margin.toFixed(2), needs: margin.toFixed(2), headers,
      }),
    };
  }
  return { action: 'import' };
}

/** Throw a LayoutError unless the layout is usable; returns it otherwise. */
export function assertLayout(layout: Layout): Layout {
  const p = layoutProblem(layout);
  if (p) throw p;
  return layout;
}

/** Read a field of a data row through the layout (undefined when the field is not mapped). */
export function cellOf(cells: CellValue[], layout: Layout, field: string): CellValue | undefined {
  const c = layout.columns[field];
  return c === undefined ? undefined : (cells[c] ?? null);
}

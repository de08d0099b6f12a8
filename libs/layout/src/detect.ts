import type { CellValue, RawRow } from '@qc/readers';
import { HeaderForms, headerForms, isEmptyCell, looksLikeData, normalizeText } from './normalize';
import { LayoutProfile, resolveSheetProfile, SheetProfile, ColumnRef } from './profile';
import { COMMON_FIELDS, ENTITIES, EntityDef, EntityKind, entityDef, fieldLabel, NEUTRAL_FIELDS } from './vocabulary';

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
  candidates: { entity: EntityKind; score: number }[];
  /** Name of the profile applied, if any. */
  profile?: string;
}

export type RowKind = 'data' | 'blank' | 'subtotal' | 'repeated-header' | 'note';

interface ColumnHeader {
  display: string;
  /** Alternative readings of the column header, best-first. */
  forms: HeaderForms[];
  tokens: string[];
}

interface PreparedField {
  field: string;
  synonyms: string[];
}

interface EntityResult {
  def: EntityDef;
  columns: Map<string, number>;
  scores: Map<string, number>;
  score: number;
  matchTotal: number;
  missing: string[];
}

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
  }));
  if (!extra || Object.keys(extra).length === 0) preparedCache.set(def.entity, all);
  return all;
}

const ALL_SYNONYMS: string[] = Array.from(
  new Set(ENTITIES.flatMap((e) => prepareFields(e).flatMap((f) => f.synonyms))),
);

/** How well a header reads as one of the synonyms: exact > exact without brackets > containment. */
export function matchScore(forms: HeaderForms, synonyms: readonly string[]): number {
  let best = 0;
  const { full, base, inner } = forms;
  if (!full) return 0;
  for (const syn of synonyms) {
    let s = 0;
    if (full === syn) s = 1;
    else if (base && base === syn) s = 0.95;
    else if (inner && inner === syn) s = 0.9;
    else if (syn.length >= 2 && full.includes(syn)) s = 0.5 + (0.3 * syn.length) / full.length;
    else if (full.length >= 2 && syn.includes(full)) s = 0.5 + (0.3 * full.length) / syn.length;
    if (s > best) {
      best = s;
      if (best === 1) break;
    }
  }
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
    });
  }
  return cols;
}

// ---------------------------------------------------------------------------------------------
// entity mapping

function columnFieldScore(col: ColumnHeader, synonyms: string[]): number {
  let best = 0;
  col.forms.forEach((f, i) => {
    // later readings (group label alone) are slightly less trustworthy than the sub-header
    const s = matchScore(f, synonyms) * (i === 0 ? 1 : i === 1 ? 0.99 : 0.9);
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

function mapEntity(
  def: EntityDef,
  cols: ColumnHeader[],
  sp: SheetProfile | undefined,
  sheetName: string | null,
  titles: string[],
): EntityResult {
  const fields = prepareFields(def, sp?.synonyms);
  const pairs: { col: number; field: string; score: number }[] = [];
  cols.forEach((col, ci) => {
    if (!col.forms.length) return;
    for (const f of fields) {
      const s = columnFieldScore(col, f.synonyms);
      if (s >= 0.5) pairs.push({ col: ci, field: f.field, score: s });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col);
  const columns = new Map<string, number>();
  const scores = new Map<string, number>();
  const usedCols = new Set<number>();
  for (const p of pairs) {
    if (columns.has(p.field) || usedCols.has(p.col)) continue;
    columns.set(p.field, p.col);
    scores.set(p.field, p.score);
    usedCols.add(p.col);
  }
  if (sp?.columns) applyColumnOverrides(columns, scores, sp.columns, cols);
  const required = sp?.required ? sp.required.map((r) => r.split('|')) : def.required;
  const missing = required.filter((alts) => !alts.some((f) => columns.has(f))).map((alts) => alts.join('|'));
  const headerCols = cols.filter((c) => c.forms.length).length;
  let neutralCols = 0;
  let matched = 0;
  let matchTotal = 0;
  for (const [field] of columns) {
    const s = scores.get(field) ?? 1;
    matchTotal += s;
    if (NEUTRAL_FIELDS.has(field)) neutralCols++;
    else matched += s;
  }
  const coverage = matched / Math.max(1, headerCols - neutralCols);
  const keyHits = def.keys.filter((k) => columns.has(k)).length / def.keys.length;
  const raw = 0.55 * coverage + 0.45 * keyHits + hintBonus(def, sheetName, titles) - 0.3 * missing.length;
  return { def, columns, scores, score: Math.max(0, Math.min(1, raw)), matchTotal, missing };
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
  sp: SheetProfile | undefined,
  sheetName: string | null,
  titles: string[],
): EntityResult[] {
  const defs = sp?.entity ? [entityDef(sp.entity)] : ENTITIES;
  return defs.map((d) => mapEntity(d, cols, sp, sheetName, titles)).sort((a, b) => b.score - a.score || b.matchTotal - a.matchTotal);
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
  if (best < 0) return [];
  const total = (idx: number[]) => {
    const cols = buildColumns(idx.map((i) => scan[i].cells));
    return bestEntity(cols, sp, sheetName, [])[0]?.matchTotal ?? 0;
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
  const cols = buildColumns(headerIdx.map((i) => firstRows[i].cells));
  const lastHeaderLine = headerRows.length ? Math.max(...headerRows) : 0;
  const dataStartLine = sp?.dataStartLine ?? lastHeaderLine + 1;
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
    return {
      ...base,
      entity,
      score: 0,
      columns: {},
      unmapped: [],
      missingRequired: required,
      candidates: [],
    };
  }
  const results = bestEntity(cols, sp, sheetName, titles);
  const win = results[0];
  const columns: Record<string, number> = {};
  for (const [f, c] of [...win.columns].sort((a, b) => a[1] - b[1])) columns[f] = c;
  const mappedCols = new Set(Object.values(columns));
  const unmapped = cols
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => c.display !== '' && !mappedCols.has(i))
    .map(({ c }) => c.display);
  return {
    ...base,
    entity: win.def.entity,
    score: Math.round(win.score * 1000) / 1000,
    columns,
    unmapped,
    missingRequired: win.missing,
    candidates: results.map((r) => ({ entity: r.def.entity, score: Math.round(r.score * 1000) / 1000 })),
  };
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

  constructor(layout: Layout) {
    const seen = layout.headers.filter(Boolean);
    let message: string;
    if (!layout.headerRows.length) {
      message = `${sheetLabel(layout)}: no header row found in the first ${HEADER_SCAN_ROWS} rows (looked for words such as 姓名, 身份证号, 网格名称, 组织名称, 物业企业名称, 社区名称)`;
    } else {
      const what = layout.entity ? `${entityDef(layout.entity).label} (${layout.entity})` : 'this sheet';
      message =
        `${sheetLabel(layout)}: cannot find the required column ${layout.missingRequired
          .map((m) => labelRequired(layout.entity, m))
          .join(', ')} for ${what}; ` + `headers seen on ${rangeText(layout.headerRows)}: ${seen.length ? seen.join(', ') : '(none)'}`;
    }
    super(message);
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

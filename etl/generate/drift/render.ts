/**
 * Renders a table of records the way a district office lays it out: drifted header words, columns in
 * another order, columns of no use, title rows, a two-row header with groups merged across, a value
 * merged down over the rows that share it, and the records split over several sheets. Every record's
 * reference (SHEET!ROW, or the CSV line) goes to the truth as it is written.
 */
import { Rng } from '../rng';
import { Cell, col, CsvWriter, XlsxBook, XlsxSheet } from '../writers';
import { cosmeticHeader, fieldNote } from './variants';
import { DRIFT_HEADERS, FILLED_BY, HEADER_GROUPS, NOISE_COLUMNS, TableKind, TITLE_SUFFIXES } from './vocabulary';
import { DriftTruth } from './truth';

/** Who a row really is; absent for rows that describe nobody. */
export interface RowTruth {
  entity: string;
  truthId: string;
  /** Why the row is invalid (it identifies nobody, or lacks what its kind needs); absent when valid. */
  invalid?: string;
}

export interface DriftRow {
  cells: Record<string, Cell>;
  truth: RowTruth;
}

interface Column {
  header: string;
  /** The field the column carries; null for a column of no use. */
  field: string | null;
  noise?: readonly string[];
}

/** One draw of a table's header for the given fields: the words, the order, and the useless columns among them. */
export function drawColumns(r: Rng, kind: TableKind, fields: readonly string[]): Column[] {
  const vocabulary = DRIFT_HEADERS[kind] as Record<string, readonly string[]>;
  const columns: Column[] = fields.map((field) => {
    const word = r.pick(vocabulary[field]);
    const note = fieldNote(field);
    return { header: note && r.chance(0.3) ? word + note : cosmeticHeader(r, word), field };
  });
  // Reorder: a few columns move; the first stays first more often than not, as forms keep 序号 or 姓名 in front.
  for (let moves = r.int(1, 3); moves > 0; moves--) {
    const from = r.int(r.chance(0.7) ? 1 : 0, columns.length - 1);
    const [moved] = columns.splice(from, 1);
    columns.splice(r.int(1, columns.length), 0, moved);
  }
  for (const [header, values] of r.sample(NOISE_COLUMNS, r.int(1, 3))) {
    columns.splice(r.int(1, columns.length), 0, { header, field: null, noise: values });
  }
  return columns;
}

function cellsOf(r: Rng, columns: Column[], row: DriftRow): Cell[] {
  return columns.map((c) => (c.field === null ? r.pick(c.noise!) : row.cells[c.field] ?? null));
}

export interface SheetLayout {
  titleRows: 0 | 1 | 2;
  twoRowHeader: boolean;
  /** A field whose equal values in consecutive rows are written once and merged down. */
  mergeDown?: string;
}

export function drawLayout(r: Rng, mergeable?: string): SheetLayout {
  return {
    titleRows: r.pick([0, 1, 1, 2] as const),
    twoRowHeader: r.chance(0.35),
    mergeDown: mergeable && r.chance(0.6) ? mergeable : undefined,
  };
}

async function writeHeader(r: Rng, s: XlsxSheet, columns: Column[], layout: SheetLayout, title: string): Promise<void> {
  const width = columns.length;
  if (layout.titleRows >= 1) {
    s.merge(`A1:${col(width)}1`);
    await s.add([`${title}${r.pick(TITLE_SUFFIXES)}`]);
  }
  if (layout.titleRows === 2) {
    s.merge(`A2:${col(width)}2`);
    await s.add([r.pick(FILLED_BY), null, null, r.pick(FILLED_BY)]);
  }
  if (!layout.twoRowHeader) {
    await s.add(columns.map((c) => c.header));
    return;
  }
  // Two-row header: runs of 2–4 adjacent columns under a group word merged across; the others span both rows.
  const top: Cell[] = columns.map((c) => c.header);
  const bottom: Cell[] = columns.map(() => null);
  const h = s.row + 1;
  const groups = r.sample(HEADER_GROUPS, HEADER_GROUPS.length);
  let k = 1;
  while (k < width) {
    const span = Math.min(r.int(2, 4), width - k);
    if (span >= 2 && groups.length && r.chance(0.6)) {
      s.merge(`${col(k + 1)}${h}:${col(k + span)}${h}`);
      top[k] = groups.pop()!;
      for (let i = k; i < k + span; i++) {
        if (i > k) top[i] = null;
        bottom[i] = columns[i].header;
      }
      k += span;
    } else k++;
  }
  for (let i = 0; i < width; i++) if (bottom[i] === null) s.merge(`${col(i + 1)}${h}:${col(i + 1)}${h + 1}`);
  await s.add(top);
  await s.add(bottom);
}

/** Writes records into one sheet laid out as drawn; resolves when every row's reference is in the truth. */
export async function writeSheet(
  r: Rng,
  book: XlsxBook,
  truth: DriftTruth,
  name: string,
  title: string,
  columns: Column[],
  layout: SheetLayout,
  rows: DriftRow[],
): Promise<void> {
  const s = await book.sheet(name);
  await writeHeader(r, s, columns, layout, title);
  truth.columns(book.path, name, columns);
  const down = layout.mergeDown === undefined ? -1 : columns.findIndex((c) => c.field === layout.mergeDown);
  const cells = rows.map((row) => cellsOf(r, columns, row));
  const mergeable = (v: Cell) => v !== null && v !== undefined && v !== '';
  for (let i = 0; i < rows.length; i++) {
    // A streamed row is final once written, so a value merged down is merged before its first row goes out.
    if (down >= 0 && mergeable(cells[i][down]) && (i === 0 || cells[i - 1][down] !== cells[i][down])) {
      let end = i;
      while (end + 1 < rows.length && cells[end + 1][down] === cells[i][down]) end++;
      if (end > i) s.merge(`${col(down + 1)}${s.row + 1}:${col(down + 1)}${s.row + 1 + end - i}`);
    }
    const shown = down >= 0 && i > 0 && mergeable(cells[i][down]) && cells[i - 1][down] === cells[i][down] ? cells[i].map((v, k) => (k === down ? null : v)) : cells[i];
    const at = await s.add(shown);
    await truth.record(book.path, `${name}!${at}`, rows[i].truth, name);
  }
}

/** Writes records as CSV lines under one header line. */
export async function writeCsv(r: Rng, w: CsvWriter, truth: DriftTruth, columns: Column[], rows: DriftRow[]): Promise<void> {
  await w.row(columns.map((c) => c.header));
  truth.columns(w.path, null, columns);
  for (const row of rows) {
    const line = await w.row(cellsOf(r, columns, row));
    await truth.record(w.path, line, row.truth);
  }
}

/**
 * Splits rows into consecutive parts of roughly equal size, never splitting a group in two (keys[i] is
 * row i's group); with parts ≥ rows, one part per group.
 */
export function splitRows<T>(rows: T[], parts: number, keys: string[]): T[][] {
  if (parts <= 1 || rows.length === 0) return [rows];
  const target = Math.ceil(rows.length / parts);
  const out: T[][] = [[]];
  for (let i = 0; i < rows.length; i++) {
    const current = out[out.length - 1];
    if (current.length >= target && keys[i] !== keys[i - 1]) out.push([]);
    out[out.length - 1].push(rows[i]);
  }
  return out;
}

import { CellValue } from './types';

/** A merged range: rows as Excel numbers them (1-based), columns as indexes into a row's cells. */
export interface MergedRange {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Column letters (A, Z, AA, XFD) to a 0-based index. */
function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** `A5:B14` (or a single cell, `A5`) as a range; null when it is not an A1 reference. */
export function parseRangeRef(ref: string): MergedRange | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(ref.trim());
  if (!m) return null;
  const a = { col: columnIndex(m[1]), row: Number(m[2]) };
  const b = m[3] ? { col: columnIndex(m[3]), row: Number(m[4]) } : a;
  return { top: Math.min(a.row, b.row), bottom: Math.max(a.row, b.row), left: Math.min(a.col, b.col), right: Math.max(a.col, b.col) };
}

/**
 * A value merged DOWN several rows belongs to each of them (所属社区 merged over ten member rows):
 * fed the rows of one sheet in order, puts the top cell's value into the range's first column of
 * every row below it that the range covers. Ranges within one row (titles, header groups) change
 * nothing: a title stays one cell and the layout code spreads a header group over its sub-headers.
 */
export class MergedDownFill {
  private readonly ranges: MergedRange[];
  private next = 0;
  private carried: { range: MergedRange; value: CellValue }[] = [];

  constructor(ranges: Iterable<MergedRange>) {
    this.ranges = [...ranges].filter((r) => r.bottom > r.top).sort((a, b) => a.top - b.top);
  }

  /** Fill `cells` (the row numbered `line`) in place and return it. Rows must come in order. */
  apply(line: number, cells: CellValue[]): CellValue[] {
    if (this.carried.length > 0) this.carried = this.carried.filter((c) => c.range.bottom >= line);
    while (this.next < this.ranges.length && this.ranges[this.next].top <= line) {
      const range = this.ranges[this.next++];
      // A range whose top row the file does not hold has no value to carry.
      if (range.top === line) this.carried.push({ range, value: cells[range.left] ?? null });
    }
    for (const { range, value } of this.carried) {
      if (range.top === line || value === null || (cells[range.left] ?? null) !== null) continue;
      while (cells.length < range.left) cells.push(null);
      cells[range.left] = value;
    }
    return cells;
  }
}

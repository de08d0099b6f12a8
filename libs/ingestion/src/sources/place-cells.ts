import { cellText } from '@qc/fields';
import { CellValue } from '@qc/readers';

/** A cell as trimmed text, or null when empty or unreadable (the raw row keeps what it held). */
export function textOf(cell: CellValue | undefined): string | null {
  if (cell === undefined) return null;
  const t = cellText(cell);
  return t.ok ? t.value : null;
}

/** A count cell as a non-negative integer, or null. */
export function countOf(cell: CellValue | undefined): number | null {
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 0 ? cell : null;
  const t = textOf(cell);
  return t && /^\d+$/.test(t) ? Number(t) : null;
}

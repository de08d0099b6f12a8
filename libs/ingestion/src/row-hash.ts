import { createHash } from 'node:crypto';
import { CellValue } from '@qc/readers';

/** A stable hash of a row's content (not its position), so an unchanged row is recognised in a newer export. */
export function rowHash(cells: readonly CellValue[]): string {
  const hash = createHash('sha256');
  for (const cell of cells) {
    const text = cell instanceof Date ? cell.toISOString() : cell === null ? '' : String(cell);
    hash.update(text.trim()).update('\u001f');
  }
  return hash.digest('hex');
}

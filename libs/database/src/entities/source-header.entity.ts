import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ImportBatch } from './import-batch.entity';

/**
 * A header row of a batch (one per sheet; one per shape of element in a JSON export), stored once
 * instead of on every source record: a record's raw cells are named by the header it points to.
 */
@Entity('source_header')
export class SourceHeader {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @PrimaryColumn({ type: 'integer' })
  no: number;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: ImportBatch;

  /** The column names in column order, as the file wrote them (`column N` where it wrote none). */
  @Column({ type: 'text', array: true })
  headers: string[];
}

/**
 * A raw row as header → cell, the one way a stored row is read back. Empty cells are left out;
 * cells past the header, or under a header already used, are named by their column number.
 */
export function rawRow(headers: readonly string[] | null, cells: readonly (string | null)[] | null): Record<string, string> {
  const row: Record<string, string> = {};
  (cells ?? []).forEach((cell, column) => {
    if (cell === null || cell === '') return;
    const header = headers?.[column] || `column ${column + 1}`;
    const name = Object.hasOwn(row, header) ? `${header} (column ${column + 1})` : header;
    // Defined, not assigned: a header named __proto__ is a column like any other.
    Object.defineProperty(row, name, { value: cell, enumerable: true, writable: true, configurable: true });
  });
  return row;
}

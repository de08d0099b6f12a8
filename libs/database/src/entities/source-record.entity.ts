import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { ImportBatch } from './import-batch.entity';

export type RecordStatus = 'accepted' | 'rejected' | 'skipped';

/** One row of one file as it was read: its raw cells, a hash of them, and what became of it. */
@Entity('source_record')
@Unique('uq_source_record_batch_ref', ['batchId', 'recordRef'])
// The merge walks a batch's records in file order, a chunk at a time.
@Index('ix_source_record_batch_order', ['batchId', 'id'])
export class SourceRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: ImportBatch;

  @Column({ type: 'text', nullable: true })
  sheet: string | null;

  /** SHEET!ROW for XLSX, the physical line for CSV, a JSON pointer for JSON. */
  @Column({ name: 'record_ref', type: 'text' })
  recordRef: string;

  /** What the row describes: division, person, organization, grid, building, … */
  @Column({ name: 'entity_type', type: 'varchar', length: 24, nullable: true })
  entityType: string | null;

  @Column({ type: 'varchar', length: 10 })
  status: RecordStatus;

  /** Why a row was skipped (blank, subtotal, repeated header). */
  @Column({ name: 'skip_reason', type: 'text', nullable: true })
  skipReason: string | null;

  /**
   * The raw cells in column order, as text (null for an empty cell); personal data in them is
   * stored masked. Their headers are stored once per batch (source_header): read both through rawRow.
   */
  @Column({ type: 'text', array: true })
  raw: (string | null)[];

  /** Which of the batch's headers (source_header.no) names the cells. */
  @Column({ name: 'header_no', type: 'integer' })
  headerNo: number;

  /** The parsed, validated record the merge applies (personal data in it already protected). */
  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  @Index()
  @Column({ name: 'row_hash', type: 'char', length: 64 })
  rowHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ImportBatch } from './import-batch.entity';
import { SourceRecord } from './source-record.entity';

/**
 * Something the import says about a row it applied all the same: a cell it could not read (kept,
 * masked, in the raw row, and flagged here), or an ID claimed under an unrelated name. Never
 * quotes an ID number or a phone.
 */
@Entity('record_warning')
export class RecordWarning {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: ImportBatch;

  @Column({ name: 'source_record_id', type: 'bigint' })
  sourceRecordId: string;

  @ManyToOne(() => SourceRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_record_id' })
  sourceRecord?: SourceRecord;

  @Column({ type: 'text', nullable: true })
  sheet: string | null;

  @Column({ name: 'record_ref', type: 'text' })
  recordRef: string;

  /** The header of the column, as the file wrote it. */
  @Column({ name: 'column_name', type: 'text', nullable: true })
  columnName: string | null;

  /** In English, as the API returns it. */
  @Column({ type: 'text' })
  reason: string;

  /** The reason's code in the catalogue of @qc/reasons, which says it in Chinese; null on rows stored before codes. */
  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: string | null;

  /** The parameters the reason's texts are made from (never an ID number or a phone). */
  @Column({ name: 'reason_params', type: 'jsonb', nullable: true })
  reasonParams: object | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

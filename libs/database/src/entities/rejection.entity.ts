import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ImportBatch } from './import-batch.entity';
import { SourceRecord } from './source-record.entity';

/** Why a row (or, with no record, a whole file or sheet) was not accepted, naming its place. */
@Entity('rejection')
export class Rejection {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: ImportBatch;

  @Column({ name: 'source_record_id', type: 'bigint', nullable: true })
  sourceRecordId: string | null;

  @ManyToOne(() => SourceRecord, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'source_record_id' })
  sourceRecord?: SourceRecord | null;

  @Column({ type: 'text', nullable: true })
  sheet: string | null;

  @Column({ name: 'record_ref', type: 'text', nullable: true })
  recordRef: string | null;

  /** The header of the offending column, as the file wrote it. */
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

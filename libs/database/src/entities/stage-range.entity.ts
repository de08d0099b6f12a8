import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ImportBatch } from './import-batch.entity';

/** What a range's rows came to, added up over the ranges when the last one is staged. */
export interface StageRangeCounts {
  rowsRead: number;
  accepted: number;
  rejected: number;
  skipped: number;
  warnings: number;
  /** Records the reader yielded, and those with undecodable bytes: the whole file's encoding verdict. */
  records: number;
  damagedRecords: number;
  firstDamagedLine: number | null;
}

/**
 * One byte range of a large CSV file, staged by its own job so that several workers read one file.
 * Cut at a row boundary; carries the line its first row is on (rows keep the line numbers a
 * single reader gives) and the source_record ids reserved for its rows, in file order (the merge
 * reads the batch by id, so it sees the rows in the order of the file).
 */
@Entity('stage_range')
export class StageRange {
  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @PrimaryColumn({ type: 'integer' })
  no: number;

  @ManyToOne(() => ImportBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id' })
  batch?: ImportBatch;

  /** The batch's stage run (import_batch.stage_run) that planned the range. */
  @Column({ type: 'integer' })
  run: number;

  @Column({ name: 'byte_start', type: 'bigint' })
  byteStart: string;

  @Column({ name: 'byte_end', type: 'bigint' })
  byteEnd: string;

  @Column({ name: 'first_line', type: 'integer' })
  firstLine: number;

  /** The reserved ids as runs of consecutive values: [first id, count][]. */
  @Column({ type: 'jsonb' })
  ids: [string, number][];

  /** Jobs started for the range (a range that kills its worker fails the batch, as a file does). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Bytes of the range read so far (the batch's progress is their sum). */
  @Column({ name: 'bytes_read', type: 'bigint', default: 0 })
  bytesRead: string;

  /** Set once, when the range's last rows are committed; null until then. */
  @Column({ type: 'jsonb', nullable: true })
  counts: StageRangeCounts | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const BATCH_STATUSES = ['queued', 'staging', 'merging', 'completed', 'failed', 'refused', 'unchanged', 'rolled_back'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const FINAL_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'refused', 'unchanged', 'rolled_back'];

/** The phases a running batch reports progress in: the stage reads, the merge matches and then merges. */
export const PROGRESS_PHASES = ['reading', 'matching', 'merging'] as const;
export type ProgressPhase = (typeof PROGRESS_PHASES)[number];

/** A bigint counter read as a number: the counts here stay far below 2^53. */
const BIGINT_NUMBER = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** A column a sheet's rows were read through: its header as the file wrote it, the field it fills, and what showed it. */
export interface SheetColumnUsed {
  header: string;
  field: string;
  /** The field's name on the forms (姓名, 身份证号, …). */
  label: string;
  /** Recognised by its header, its values, or both. */
  evidence: string;
}

/**
 * A reason in a sheet's account: its English text, and its code and parameters in the catalogue of
 * @qc/reasons (absent from accounts stored before codes).
 */
export interface SheetReason {
  reason: string;
  reasonCode?: string | null;
  reasonParams?: object | null;
}

/** A column with content that fills no field, and why. */
export interface SheetColumnIgnored extends SheetReason {
  header: string;
}

/** What became of one sheet of a file (a CSV is one sheet, named null). */
export interface SheetAccount {
  sheet: string | null;
  status: 'imported' | 'skipped' | 'refused';
  /** The sheet kind chosen (member-roster, grid, …) and its label; null when none fitted. */
  kind: string | null;
  label: string | null;
  /** Confidence of the kind, 0..1. */
  score: number | null;
  /** Why a sheet was skipped or refused (with its code and parameters, as in SheetReason). */
  reason: string | null;
  reasonCode?: string | null;
  reasonParams?: object | null;
  /** Rows the sheet held below its header; for a skipped or refused sheet, rows not read as records. */
  rows: number;
  used: SheetColumnUsed[];
  ignored: SheetColumnIgnored[];
  warnings: string[];
  /** The warnings, in order, with their codes. */
  warningReasons?: SheetReason[];
}

/** One file handed to the registry, and the accounting of what became of its rows. */
@Entity('import_batch')
@Index('uq_import_batch_completed_file', ['fileSha256'], { unique: true, where: "status = 'completed'" })
export class ImportBatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** S1…S6 once detected. */
  @Column({ name: 'source_kind', type: 'varchar', length: 8, nullable: true })
  sourceKind: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'file_path', type: 'text' })
  filePath: string;

  @Index()
  @Column({ name: 'file_sha256', type: 'char', length: 64 })
  fileSha256: string;

  @Column({ name: 'file_bytes', type: 'bigint' })
  fileBytes: string;

  @Column({ type: 'varchar', length: 12 })
  status: BatchStatus;

  /** How the batch was started: cli, api, schedule:<source>. */
  @Column({ type: 'text' })
  trigger: string;

  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead: number;

  @Column({ type: 'integer', default: 0 })
  accepted: number;

  @Column({ type: 'integer', default: 0 })
  rejected: number;

  @Column({ type: 'integer', default: 0 })
  skipped: number;

  /** Warnings about rows applied all the same (record_warning): unreadable cells flagged, IDs claimed under another name. */
  @Column({ type: 'integer', default: 0 })
  warnings: number;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  matched: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ name: 'review_pending', type: 'integer', default: 0 })
  reviewPending: number;

  /**
   * The phase the batch's jobs are in (null until the stage starts): reading the file, then matching
   * its accepted records to the registry, then merging (settling what the records changed as a whole).
   */
  @Column({ name: 'progress_phase', type: 'varchar', length: 10, nullable: true })
  progressPhase: ProgressPhase | null;

  /** Progress within the phase: bytes of the file read while reading, then records of the accepted ones. */
  @Column({ name: 'progress_done', type: 'bigint', default: 0, transformer: BIGINT_NUMBER })
  progressDone: number;

  @Column({ name: 'progress_total', type: 'bigint', nullable: true, transformer: BIGINT_NUMBER })
  progressTotal: number | null;

  /** When the phase began: its rate (done over the time since) gives the time left. */
  @Column({ name: 'progress_phase_started_at', type: 'timestamptz', nullable: true })
  progressPhaseStartedAt: Date | null;

  /** The layout chosen for each sheet, as printed to the user. */
  @Column({ type: 'jsonb', nullable: true })
  layout: unknown;

  /** csv, xlsx or json, as the file's content showed (not its name). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  format: 'csv' | 'xlsx' | 'xls' | 'json' | null;

  /** Per sheet, the header the file used for each field: rejections name columns as the file does. */
  @Column({ type: 'jsonb', nullable: true })
  columns: Record<string, Record<string, string>> | null;

  /** Per sheet, in file order: imported (kind, columns used and ignored) or skipped or refused, with why. */
  @Column({ type: 'jsonb', nullable: true })
  sheets: SheetAccount[] | null;

  /** A file-level refusal or failure, in words a person can act on. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  /**
   * Jobs started for the batch's current step (stage, then merge: reset when the stage hands over),
   * counted when each starts, so a worker that dies mid-job is counted too.
   */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /**
   * Counts the stage's starts over: the jobs of an earlier start (ranges of a large file still
   * running) see that theirs is over and write nothing more.
   */
  @Column({ name: 'stage_run', type: 'integer', default: 0 })
  stageRun: number;

  /** While a file is staged in byte ranges (stage_range): the ranges not yet staged; null otherwise. */
  @Column({ name: 'stage_ranges_left', type: 'integer', nullable: true })
  stageRangesLeft: number | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** For an unchanged re-import: the batch that already holds this file. */
  @Column({ name: 'same_as_batch_id', type: 'uuid', nullable: true })
  sameAsBatchId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Set when the batch was rolled back (status rolled_back): its accounting stays readable. */
  @Column({ name: 'rolled_back_at', type: 'timestamptz', nullable: true })
  rolledBackAt: Date | null;

  @Column({ name: 'rolled_back_by', type: 'text', nullable: true })
  rolledBackBy: string | null;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REVIEW_KINDS = ['possible-duplicate', 'conflict'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
/** 'withdrawn': the batch that asked the question was rolled back. */
export const REVIEW_STATUSES = ['open', 'merged', 'kept-apart', 'resolved', 'withdrawn'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** Per compared field: the level reached and the weight it added (Fellegi–Sunter log2 m/u). */
export type ReviewEvidence = { field: string; level: string; weight: number }[];

/**
 * A decision the matcher would not take alone: two entities that may be one (possible-duplicate),
 * or a record that contradicts the registry (conflict: a second parent, a member in two branches).
 * decisionKey identifies the question independently of the batch, so a re-import of the same
 * record finds the answer given before instead of asking again.
 */
@Entity('review_task')
@Index('uq_review_task_open_question', ['decisionKey'], { unique: true, where: "status = 'open'" })
export class ReviewTask {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  kind: ReviewKind;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  /** The entity the record became (kept apart until a decision). */
  @Index()
  @Column({ name: 'left_id', type: 'text' })
  leftId: string;

  /** The existing entity it may be, or the existing value it contradicts. */
  @Index()
  @Column({ name: 'right_id', type: 'text' })
  rightId: string;

  @Index()
  @Column({ name: 'decision_key', type: 'varchar', length: 64 })
  decisionKey: string;

  @Column({ type: 'real', nullable: true })
  score: number | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  evidence: ReviewEvidence;

  /** Words for the reviewer: what the question is. */
  @Column({ type: 'text' })
  summary: string;

  @Index()
  @Column({ type: 'varchar', length: 12, default: 'open' })
  status: ReviewStatus;

  @Index()
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  @Column({ name: 'source_record_id', type: 'bigint', nullable: true })
  sourceRecordId: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The reviewer's words on the decision. */
  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

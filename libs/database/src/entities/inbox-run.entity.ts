import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const INBOX_RUN_OUTCOMES = ['running', 'imported', 'quarantined', 'nothing', 'failed'] as const;
/** imported: every file archived; quarantined: at least one file refused or failed; nothing: no settled file; failed: the pass itself stopped. */
export type InboxRunOutcome = (typeof INBOX_RUN_OUTCOMES)[number];

/** One file a pass took from its inbox: the batch it became and what became of it. */
export interface InboxRunFile {
  file: string;
  batchId: string;
  status: string;
  /** Why a quarantined file was not imported. */
  reason: string | null;
}

/**
 * One pass of a scheduled inbox, so that people can see it ran and what it took. Passes that found
 * no file are kept only as the latest of their inbox: a pass a minute would otherwise fill the table.
 */
@Entity('inbox_run')
@Index('ix_inbox_run_inbox_started', ['inbox', 'startedAt'])
export class InboxRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  inbox: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'varchar', length: 12 })
  outcome: InboxRunOutcome;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  files: InboxRunFile[];

  /** Why a pass failed. */
  @Column({ type: 'text', nullable: true })
  error: string | null;
}

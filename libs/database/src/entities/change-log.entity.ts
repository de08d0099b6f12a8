import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ChangeAction = 'create' | 'update' | 'merge' | 'unmerge' | 'delete';

/**
 * Positions each entry owns in the feed: the sequence hands out multiples of it, and a range of
 * creates shows its entities at seq, seq + 1, … (at most this many per entry).
 */
export const CHANGE_RANGE_SIZE = 1024;

/** The ordered feed of every change to a canonical entity; seq is the sync cursor. */
@Entity('change_log')
export class ChangeLog {
  @PrimaryColumn({ type: 'bigint', default: () => `(nextval('change_log_seq_seq') * ${CHANGE_RANGE_SIZE})` })
  seq: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  /**
   * A range entry: the entities of one type one batch created together, in order (entityId is the
   * first); null for an entry about one entity. An import's creates cost one entry per chunk.
   */
  @Column({ name: 'entity_ids', type: 'uuid', array: true, nullable: true })
  entityIds: string[] | null;

  @Column({ type: 'varchar', length: 10 })
  action: ChangeAction;

  @Index()
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  /**
   * Changed fields: { field: [before, after] } (personal data masked). Null for a create: the feed
   * shows the entity's fields as they are when it is read (libs/query change-feed-query.ts), so
   * the bulk of an import's entries carry no values.
   */
  @Column({ type: 'jsonb', nullable: true })
  changes: Record<string, [unknown, unknown]> | null;

  /** Who: api key name, cli user, rollback:<who>, reconcile, seed; null when the entry's batch made the change. */
  @Column({ type: 'text', nullable: true })
  actor: string | null;
}

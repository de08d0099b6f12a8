import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ChangeAction = 'create' | 'update' | 'merge' | 'unmerge' | 'delete';

/** The ordered feed of every change to a canonical entity; seq is the sync cursor. */
@Entity('change_log')
export class ChangeLog {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ type: 'varchar', length: 10 })
  action: ChangeAction;

  @Index()
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  /** Changed fields: { field: [before, after] } (personal data masked). */
  @Column({ type: 'jsonb' })
  changes: Record<string, [unknown, unknown]>;

  /** Who: batch, api key name, or cli user. */
  @Column({ type: 'text' })
  actor: string;
}

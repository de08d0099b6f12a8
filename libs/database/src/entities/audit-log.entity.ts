import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Every read of personal data and every administrative act: who, what, when. */
@Entity('audit_log')
export class AuditLog {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @CreateDateColumn({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ type: 'text' })
  actor: string;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 24, nullable: true })
  entityType: string | null;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'::text[]" })
  fields: string[];

  @Column({ type: 'jsonb', nullable: true })
  detail: Record<string, unknown> | null;
}

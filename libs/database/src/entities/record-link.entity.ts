import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { SourceRecord } from './source-record.entity';

/**
 * Lineage: the one link of a source record to the entity it became (its subject), with the
 * organization it names, the reference nearly every person row carries, in the same row. Any
 * other reference is a RecordReference. The view record_link_entry lists both as (record, entity, role).
 */
@Entity('record_link')
@Index('ix_record_link_entity', ['entityType', 'entityId'])
// On (organization_id::text), written by the migration: lineage reads it as an entity id (text), through record_link_entry.
@Index('ix_record_link_organization', { synchronize: false })
export class RecordLink {
  @PrimaryColumn({ name: 'source_record_id', type: 'bigint' })
  sourceRecordId: string;

  @ManyToOne(() => SourceRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_record_id' })
  sourceRecord?: SourceRecord;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  /** How the entity was found: created, code, id-number, credit-code, name, probabilistic, review. */
  @Column({ type: 'varchar', length: 24 })
  method: string;

  @Column({ type: 'real', nullable: true })
  score: number | null;

  /** The organization the record names (role 'organization'), and how it was found. */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'organization_method', type: 'varchar', length: 24, nullable: true })
  organizationMethod: string | null;
}

/** A source record's reference other than its subject and its organization: community, parent, compound, secretary, … */
@Entity('record_reference')
@Index('ix_record_reference_entity', ['entityType', 'entityId'])
export class RecordReference {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'source_record_id', type: 'bigint' })
  sourceRecordId: string;

  @ManyToOne(() => SourceRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_record_id' })
  sourceRecord?: SourceRecord;

  /** The reference's name: community, organization, parent, compound, company, joint, secretary, … */
  @Column({ type: 'varchar', length: 24 })
  role: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ type: 'varchar', length: 24 })
  method: string;
}

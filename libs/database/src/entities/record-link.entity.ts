import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { SourceRecord } from './source-record.entity';

/** Lineage: a source record linked to an entity, as its subject or through a named reference. */
@Entity('record_link')
@Index('ix_record_link_entity', ['entityType', 'entityId'])
export class RecordLink {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index()
  @Column({ name: 'source_record_id', type: 'bigint' })
  sourceRecordId: string;

  @ManyToOne(() => SourceRecord, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_record_id' })
  sourceRecord?: SourceRecord;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  /** 'subject', or the reference's name: community, organization, parent, compound, … */
  @Column({ type: 'varchar', length: 24 })
  role: string;

  /** How the entity was found: created, code, id-number, credit-code, name, probabilistic, review. */
  @Column({ type: 'varchar', length: 24 })
  method: string;

  @Column({ type: 'real', nullable: true })
  score: number | null;
}

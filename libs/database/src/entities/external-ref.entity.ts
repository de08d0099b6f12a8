import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An identifier another system gave an entity (the retired app's orgId/userId, a grid platform
 * code): a later export of that system finds the same entity through it.
 */
@Entity('external_ref')
@Index('ix_external_ref_entity', ['entityType', 'entityId'])
export class ExternalRef {
  /** The issuing system: S2, S5, … */
  @PrimaryColumn({ type: 'varchar', length: 8 })
  system: string;

  @PrimaryColumn({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @PrimaryColumn({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;
}

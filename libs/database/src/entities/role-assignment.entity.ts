import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Building } from './building.entity';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { Compound } from './compound.entity';
import { Division } from './division.entity';
import { Grid } from './grid.entity';
import { PartyOrganization } from './party-organization.entity';
import { Person } from './person.entity';

export const ROLES = ['building_lead', 'unit_lead', 'grid_worker', 'secretary', 'central_household', 'group_leader'] as const;
export type Role = (typeof ROLES)[number];

/** A role a person holds, scoped to the place or organization it is held for. */
@Entity('role_assignment')
export class RoleAssignment extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;

  @Column({ type: 'varchar', length: 24 })
  role: Role;

  @Index('ix_role_assignment_organization')
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @ManyToOne(() => PartyOrganization, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'organization_id' })
  organization?: PartyOrganization | null;

  @Index()
  @Column({ name: 'division_code', type: 'varchar', length: 12, nullable: true })
  divisionCode: string | null;

  @ManyToOne(() => Division, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'division_code' })
  division?: Division | null;

  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @ManyToOne(() => Grid, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'grid_id' })
  grid?: Grid | null;

  @Column({ name: 'compound_id', type: 'uuid', nullable: true })
  compoundId: string | null;

  @ManyToOne(() => Compound, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'compound_id' })
  compound?: Compound | null;

  @Index('ix_role_assignment_building')
  @Column({ name: 'building_id', type: 'uuid', nullable: true })
  buildingId: string | null;

  @ManyToOne(() => Building, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'building_id' })
  building?: Building | null;

  @Column({ type: 'integer', nullable: true })
  unit: number | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @LineageColumn('role_assignment')
  lineage: FieldLineage;

  /** Every batch whose records claimed this assignment: a rollback removes it once none is left. */
  @Column({ name: 'batch_ids', type: 'uuid', array: true, default: () => "'{}'" })
  batchIds: string[];
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { PartyOrganization } from './party-organization.entity';
import { Person } from './person.entity';

export type MembershipCategory = 'full' | 'probationary';
export type MembershipStatus = 'current' | 'former' | 'deceased';

/** A person's membership in one organization; a member has exactly one current membership. */
@Entity('membership')
@Unique('uq_membership_person_organization', ['personId', 'organizationId'])
export class Membership extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;

  @Index()
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => PartyOrganization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id' })
  organization?: PartyOrganization;

  @Column({ type: 'varchar', length: 12, nullable: true })
  category: MembershipCategory | null;

  @Column({ type: 'varchar', length: 12, default: 'current' })
  status: MembershipStatus;

  @Column({ name: 'joined_on', type: 'date', nullable: true })
  joinedOn: string | null;

  /** 'month' or 'year' when the source gave only 2001.09 (joinedOn then holds the first day). */
  @Column({ name: 'joined_precision', type: 'varchar', length: 5, nullable: true })
  joinedPrecision: 'day' | 'month' | 'year' | null;

  @Column({ name: 'regularized_on', type: 'date', nullable: true })
  regularizedOn: string | null;

  @Column({ name: 'ended_on', type: 'date', nullable: true })
  endedOn: string | null;

  @LineageColumn('membership')
  lineage: FieldLineage;

  /** Every batch whose records claimed this membership: a rollback removes it once none is left. */
  @Column({ name: 'batch_ids', type: 'uuid', array: true, default: () => "'{}'" })
  batchIds: string[];
}

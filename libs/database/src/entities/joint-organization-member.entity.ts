import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { PartyOrganization } from './party-organization.entity';

/**
 * An organization taking part in a joint organization (联合党支部, "four-in-one" 联合党组织): e.g. a
 * property company's red-property branch in its compound's joint branch. A joint organization has
 * no members of its own; its members are organizations, each of which keeps its own parent.
 */
@Entity('joint_organization_member')
@Unique('uq_joint_organization_member', ['jointId', 'memberId'])
@Check('ck_joint_organization_member_not_self', '"joint_id" <> "member_id"')
export class JointOrganizationMember extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'joint_id', type: 'uuid' })
  jointId: string;

  @ManyToOne(() => PartyOrganization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'joint_id' })
  joint?: PartyOrganization;

  @Index('ix_joint_organization_member_member')
  @Column({ name: 'member_id', type: 'uuid' })
  memberId: string;

  @ManyToOne(() => PartyOrganization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: PartyOrganization;

  @LineageColumn('joint_organization_member')
  lineage: FieldLineage;

  /** Every batch whose records claimed this link: a rollback removes it once none is left. */
  @Column({ name: 'batch_ids', type: 'uuid', array: true, default: () => "'{}'" })
  batchIds: string[];
}

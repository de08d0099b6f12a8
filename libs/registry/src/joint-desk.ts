import { insertRows, JointOrganizationMember, newEntityId } from '@qc/database';
import { EntityManager } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { lineageEntry, Origin, recordClaims } from './origin';

/** The organizations taking part in joint organizations (联合党支部): one link per joint organization and member. */
export class JointDesk {
  constructor(private readonly manager: EntityManager, private readonly changes: ChangeBuffer) {}

  /**
   * Links a member organization to a joint one; a link already there is claimed by this batch too.
   * Null when both are one organization (a row naming the joint organization as its own branch).
   */
  async join(jointId: string, memberId: string, origin: Origin): Promise<{ id: string; created: boolean } | null> {
    if (jointId === memberId) return null;
    const existing = await this.manager.findOneBy(JointOrganizationMember, { jointId, memberId });
    if (existing) {
      await recordClaims(this.manager, 'joint_organization_member', [[existing.id, origin.batchId]]);
      return { id: existing.id, created: false };
    }
    const link = { id: newEntityId(), jointId, memberId, lineage: { jointId: lineageEntry(origin) }, batchIds: [origin.batchId] };
    await insertRows(this.manager, JointOrganizationMember, [link]);
    this.changes.created(JOINT_MEMBER_FEED_TYPE, link.id, origin);
    return { id: link.id, created: true };
  }
}

/** The change feed's entity type for joint-organization links. */
export const JOINT_MEMBER_FEED_TYPE = 'joint_member';

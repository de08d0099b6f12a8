import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { ChangeEntry, createdFields, deleteEntry, diffFields, mergeEntry } from '@qc/changes';
import { EntityMerge, EntityMergeUndo, FieldLineage, insertRows, JointOrganizationMember, Membership, PartyOrganization, Person, ReviewTask, RoleAssignment } from '@qc/database';
import { EntityManager, EntityTarget, FindOptionsWhere, In, IsNull } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { JOINT_MEMBER_FEED_TYPE } from './joint-desk';
import { recordClaims } from './origin';
import { organizationFeedFields } from './organization-directory';
import { personFeedFields } from './person-golden';
import { moveLinks, restoreLinks, sourceRecordsOf } from './record-links';
import { PersonGoldenRecords } from './person-golden-records';
import { SourceRanking, survive } from './survivorship';
import { demoteUnconfirmed, membershipSourceRank } from './unconfirmed-memberships';

export const MERGEABLE_TYPES = ['person', 'organization'] as const;
export type MergeableType = (typeof MERGEABLE_TYPES)[number];

export interface MergeRequest {
  survivorId: string;
  mergedId: string;
  actor: string;
  reviewTaskId?: string | null;
  note?: string | null;
}

/** The fields of memberships and roles the feed shows when an unmerge puts them back. */
const MEMBERSHIP_FEED_FIELDS = ['personId', 'organizationId', 'category', 'status'] as const;
const ROLE_FEED_FIELDS = ['personId', 'role', 'organizationId', 'divisionCode', 'gridId', 'compoundId', 'buildingId', 'unit', 'address'] as const;

/** Organization fields a merge or unmerge recomputes (survivorship ranks them with their lineage). */
const ORGANIZATION_FIELDS = ['type', 'shortName', 'formalName', 'parentId', 'divisionCode', 'gridId', 'buildingId', 'compoundId', 'propertyCompanyId', 'foundedOn', 'foundedPrecision'] as const;

/**
 * Manual merge and unmerge of canonical persons and organizations. A merge moves everything that
 * points at the absorbed entity (record links, external ids, memberships, roles, child
 * organizations) to the survivor, records in entity_merge exactly what it moved and the absorbed
 * entity as it was, deletes the absorbed entity and recomputes the survivor's golden record.
 * Unmerge puts every moved row back and recomputes both.
 */
export class EntityMerger {
  private readonly persons: PersonGoldenRecords;
  readonly feed: ChangeEntry[] = [];

  constructor(private readonly manager: EntityManager, private readonly rules: SourceRanking) {
    this.persons = new PersonGoldenRecords(manager, rules);
  }

  async merge(type: MergeableType, request: MergeRequest): Promise<EntityMerge> {
    const { survivorId, mergedId } = request;
    if (survivorId === mergedId) throw new BadRequestException('an entity cannot be merged into itself');
    const target = type === 'person' ? Person : PartyOrganization;
    // One after the other: both go through the transaction's single connection.
    const survivor = await this.load(type, survivorId);
    const merged = await this.load(type, mergedId);
    if (type === 'person') {
      const [s, m] = [survivor as Person, merged as Person];
      if (s.idNumberHmac && m.idNumberHmac && s.idNumberHmac !== m.idNumberHmac) {
        throw new ConflictException('these two persons have different valid ID numbers: they are not one person');
      }
    }
    // The feed's merge entry says that what referred to the absorbed entity now refers to the
    // survivor; only what the merge does beyond that (rows deleted, statuses, golden fields) follows it.
    this.feed.push(mergeEntry(type, survivorId, mergedId, request.actor));
    const links = await moveLinks(this.manager, type, mergedId, survivorId);
    const externalRefs = (await this.manager.query(
      `UPDATE external_ref SET entity_id = $2 WHERE entity_type = $3 AND entity_id = $1 RETURNING system, external_id AS "externalId"`, [mergedId, survivorId, type]))[0];
    const undo: EntityMergeUndo = { merged: { ...merged }, survivor: { ...survivor }, links, externalRefs, childIds: [], memberships: [], roles: [] };

    const key = type === 'person' ? 'personId' : 'organizationId';
    const other = type === 'person' ? 'organizationId' : 'personId';
    const moving = await this.manager.findBy(Membership, { [key]: mergedId });
    const staying = await this.manager.findBy(Membership, { [key]: survivorId });
    for (const membership of moving) {
      undo.memberships.push({ ...membership });
      // The survivor already has this membership: the absorbed one's row goes (and comes back on unmerge).
      const kept = staying.find((s) => s[other] === membership[other]);
      if (kept) {
        await this.manager.delete(Membership, { id: membership.id });
        this.feed.push(deleteEntry('membership', membership.id, request.actor));
        // The batches that claimed the absorbed row now claim the kept one (what a rollback counts).
        await recordClaims(this.manager, 'membership', membership.batchIds.map((batchId) => [kept.id, batchId]));
      } else await this.manager.update(Membership, { id: membership.id }, { [key]: survivorId });
    }
    if (type === 'person') await this.keepOneCurrentMembership(survivorId, undo, request.actor);
    const roleKey = type === 'person' ? 'personId' : 'organizationId';
    const roles = await this.manager.findBy(RoleAssignment, { [roleKey]: mergedId });
    undo.roles = roles.map((r) => ({ ...r }));
    if (roles.length > 0) await this.manager.update(RoleAssignment, { id: In(roles.map((r) => r.id)) }, { [roleKey]: survivorId });

    if (type === 'organization') {
      undo.childIds = (await this.manager.query(`UPDATE party_organization SET parent_id = $2 WHERE parent_id = $1 AND id <> $2 RETURNING id::text`, [mergedId, survivorId]))[0]
        .map((r: { id: string }) => r.id);
      undo.jointLinks = await this.moveJointLinks(mergedId, survivorId, request.actor);
    }
    await this.manager.delete(target, { id: mergedId });
    if (type === 'person') await this.recomputePerson(survivorId, request.actor);
    else await this.absorbOrganizationFields(survivor as PartyOrganization, merged as PartyOrganization, request.actor);

    await this.settleUnconfirmed(type, [survivorId]);
    return this.manager.save(this.manager.create(EntityMerge, {
      entityType: type, survivorId, mergedId, mergedBy: request.actor, reviewTaskId: request.reviewTaskId ?? null, note: request.note ?? null, undo,
    }));
  }

  /** Undoes the latest merge that absorbed mergedId. */
  async unmerge(type: MergeableType, mergedId: string, actor: string): Promise<EntityMerge> {
    const record = await this.manager.findOne(EntityMerge, { where: { entityType: type, mergedId, unmergedAt: IsNull() }, order: { mergedAt: 'DESC' } });
    if (!record) {
      throw (await this.exists(type, mergedId))
        ? new ConflictException(`${type} ${mergedId} is not merged into another`)
        : new NotFoundException(`no ${type} ${mergedId}`);
    }
    const later = await this.manager.findOne(EntityMerge, { where: { entityType: type, mergedId: record.survivorId }, order: { mergedAt: 'DESC' } });
    if (later && !later.unmergedAt) throw new ConflictException(`${type} ${record.survivorId} was itself merged into ${later.survivorId} since: unmerge it first`);
    const { undo, survivorId } = record;

    // The entity comes back with its fields as a create shows them; every row put back follows, explicitly.
    const restored = type === 'person' ? personFeedFields(undo.merged as unknown as Person) : organizationFeedFields(undo.merged as unknown as PartyOrganization);
    this.feed.push({ entityType: type, entityId: mergedId, action: 'unmerge', changes: { mergedInto: [survivorId, null], ...createdFields(restored) }, actor });
    await restoreLinks(this.manager, type, mergedId, undo.links);
    if (type === 'person') {
      // The survivor first gives back what only the absorbed person's records said (its valid ID is unique).
      await this.recomputePerson(survivorId, actor);
      await insertRows(this.manager, Person, [undo.merged as Partial<Person>]);
    } else {
      await insertRows(this.manager, PartyOrganization, [undo.merged as Partial<PartyOrganization>]);
      await this.restoreChildren(mergedId, undo.childIds, actor);
      await this.restoreRows(JointOrganizationMember, JOINT_MEMBER_FEED_TYPE, undo.jointLinks ?? [], ['jointId', 'memberId'], actor);
      await this.restoreOrganizationFields(survivorId, undo, actor);
    }
    for (const ref of undo.externalRefs) {
      await this.manager.query(`UPDATE external_ref SET entity_id = $1 WHERE system = $2 AND entity_type = $3 AND external_id = $4`, [mergedId, ref.system, type, ref.externalId]);
    }
    await this.restoreRows(Membership, 'membership', undo.memberships, MEMBERSHIP_FEED_FIELDS, actor);
    await this.restoreRows(RoleAssignment, 'role', undo.roles, ROLE_FEED_FIELDS, actor);
    if (type === 'person') await this.recomputePerson(mergedId, actor);
    await this.settleUnconfirmed(type, [survivorId, mergedId]);

    await this.manager.update(EntityMerge, { id: record.id }, { unmergedAt: new Date(), unmergedBy: actor });
    // A reviewer's merge undone is an answer changed: the same record imported again stays apart.
    if (record.reviewTaskId) await this.manager.update(ReviewTask, { id: record.reviewTaskId }, { status: 'kept-apart', decidedBy: actor, decidedAt: new Date(), note: 'unmerged' });
    return { ...record, unmergedAt: new Date(), unmergedBy: actor };
  }

  /** The absorbed organization's children hang below it again (the feed names the parent each had until now). */
  private async restoreChildren(mergedId: string, childIds: string[], actor: string): Promise<void> {
    if (childIds.length === 0) return;
    const [moved]: [{ id: string; parentId: string | null }[], number] = await this.manager.query(`
      UPDATE party_organization c SET parent_id = $1 FROM (SELECT id, parent_id FROM party_organization WHERE id = ANY($2::uuid[]) FOR UPDATE) before
       WHERE c.id = before.id AND before.parent_id IS DISTINCT FROM $1
      RETURNING c.id::text, before.parent_id::text AS "parentId"`, [mergedId, childIds]);
    for (const child of moved) this.feed.push({ entityType: 'organization', entityId: child.id, action: 'update', changes: { parentId: [child.parentId, mergedId] }, actor });
  }

  /**
   * Rows the merge moved, changed or deleted, put back as they were: the feed gets an update of the
   * fields that differ from the row as it is now, or a create for a row the merge had deleted.
   */
  private async restoreRows<Row extends { id: string }>(target: EntityTarget<Row>, feedType: string, snapshots: object[], fields: readonly string[], actor: string): Promise<void> {
    if (snapshots.length === 0) return;
    const rows = snapshots as Row[];
    const now = new Map((await this.manager.findBy(target, { id: In(rows.map((r) => r.id)) } as FindOptionsWhere<Row>)).map((r) => [r.id, r]));
    for (const row of rows) {
      const current = now.get(row.id);
      const values = Object.fromEntries(fields.map((f) => [f, (row as Record<string, unknown>)[f] ?? null]));
      if (!current) this.feed.push({ entityType: feedType, entityId: row.id, action: 'create', changes: {}, actor });
      else {
        const changes = diffFields(current as Record<string, unknown>, values, fields);
        if (Object.keys(changes).length > 0) this.feed.push({ entityType: feedType, entityId: row.id, action: 'update', changes, actor });
      }
    }
    await this.manager.upsert(target, rows as QueryDeepPartialEntity<Row>[], ['id']);
  }

  /**
   * The retired-app rule (see demoteUnconfirmed) read again where curation moved memberships: the
   * persons merged or unmerged, or, for organizations, the whole city, since a subtree changing
   * community moves memberships below it too.
   */
  private async settleUnconfirmed(type: MergeableType, personIds: string[]): Promise<void> {
    this.feed.push(...await demoteUnconfirmed(this.manager, this.rules, type === 'person' ? { personIds } : undefined));
  }

  /**
   * The absorbed organization's joint-organization links move to the survivor; one the survivor
   * already has (its batches now claim the kept one) or one that would link it to itself goes.
   * Returns the links as they were, for unmerge.
   */
  private async moveJointLinks(mergedId: string, survivorId: string, actor: string): Promise<Record<string, unknown>[]> {
    const links = await this.manager.find(JointOrganizationMember, { where: [{ jointId: mergedId }, { memberId: mergedId }] });
    const staying = await this.manager.find(JointOrganizationMember, { where: [{ jointId: survivorId }, { memberId: survivorId }] });
    for (const link of links) {
      const moved = { jointId: link.jointId === mergedId ? survivorId : link.jointId, memberId: link.memberId === mergedId ? survivorId : link.memberId };
      const kept = staying.find((s) => s.jointId === moved.jointId && s.memberId === moved.memberId);
      if (kept || moved.jointId === moved.memberId) {
        await this.manager.delete(JointOrganizationMember, { id: link.id });
        this.feed.push(deleteEntry(JOINT_MEMBER_FEED_TYPE, link.id, actor));
        if (kept) await recordClaims(this.manager, 'joint_organization_member', link.batchIds.map((batchId) => [kept.id, batchId]));
      } else await this.manager.update(JointOrganizationMember, { id: link.id }, moved);
    }
    return links.map((link) => ({ ...link }));
  }

  private async recomputePerson(personId: string, actor: string): Promise<void> {
    const entry = await this.persons.recompute(personId, actor);
    if (entry) this.feed.push(entry);
  }

  /**
   * A member keeps one current membership: when the merge brings a second, the better-ranked
   * source's (membership survivorship) stays current and the other becomes former.
   */
  private async keepOneCurrentMembership(personId: string, undo: EntityMergeUndo, actor: string): Promise<void> {
    const current = await this.manager.find(Membership, { where: { personId, status: 'current' } });
    if (current.length < 2) return;
    const rank = (m: Membership) => membershipSourceRank(this.rules, m.lineage.organizationId?.source);
    const [keep, ...demote] = [...current].sort((a, b) => rank(a) - rank(b));
    for (const m of demote) {
      if (!undo.memberships.some((u) => u.id === m.id)) undo.memberships.push({ ...m });
      await this.manager.update(Membership, { id: m.id }, { status: 'former' });
      this.feed.push({ entityType: 'membership', entityId: m.id, action: 'update', changes: { status: ['current', 'former'], currentIs: [null, keep.id] }, actor });
    }
  }

  /** The survivor's golden record with the absorbed organization's fields offered under the same survivorship rules. */
  private async absorbOrganizationFields(survivor: PartyOrganization, merged: PartyOrganization, actor: string): Promise<void> {
    let values: Partial<PartyOrganization> = {};
    let lineage: FieldLineage = survivor.lineage;
    const changes: Record<string, [unknown, unknown]> = {};
    for (const field of ORGANIZATION_FIELDS) {
      const origin = merged.lineage[field];
      if (!origin || (field === 'parentId' && merged.parentId === survivor.id)) continue;
      const result = survive<PartyOrganization>(this.rules, 'organization', { ...survivor, ...values }, lineage, { [field]: merged[field] }, {
        sourceRecordId: origin.sourceRecordId, source: origin.source ?? '',
      });
      values = { ...values, ...result.values };
      lineage = result.lineage;
      Object.assign(changes, result.changes);
    }
    // The survivor cannot stay the child of the organization it absorbed.
    if (survivor.parentId === merged.id) {
      values.parentId = merged.parentId;
      changes.parentId = [merged.id, merged.parentId];
    }
    const tags = [...new Set([...survivor.tags, ...merged.tags])];
    if (tags.length !== survivor.tags.length) changes.tags = [survivor.tags, tags];
    await this.manager.update(PartyOrganization, { id: survivor.id }, { ...values, tags, lineage });
    if (Object.keys(changes).length > 0) this.feed.push({ entityType: 'organization', entityId: survivor.id, action: 'update', changes, actor });
  }

  /** Fields the absorbed organization's records answer for go back to what the survivor held before the merge. */
  private async restoreOrganizationFields(survivorId: string, undo: EntityMergeUndo, actor: string): Promise<void> {
    const survivor = await this.load('organization', survivorId) as PartyOrganization;
    const before = undo.survivor as unknown as PartyOrganization;
    const moved = await sourceRecordsOf(this.manager, undo.links);
    const values: Record<string, unknown> = {};
    const lineage: FieldLineage = { ...survivor.lineage };
    const changes: Record<string, [unknown, unknown]> = {};
    for (const field of ORGANIZATION_FIELDS) {
      const holder = survivor.lineage[field];
      const absorbedField = holder && moved.has(holder.sourceRecordId);
      if (!absorbedField && !(field === 'parentId' && before.parentId === (undo.merged as { id: string }).id)) continue;
      values[field] = before[field] ?? null;
      if (before.lineage[field]) lineage[field] = before.lineage[field];
      else delete lineage[field];
      changes[field] = [survivor[field], before[field] ?? null];
    }
    if (JSON.stringify(survivor.tags) !== JSON.stringify(before.tags)) changes.tags = [survivor.tags, before.tags];
    await this.manager.update(PartyOrganization, { id: survivorId }, { ...values, tags: before.tags, lineage });
    if (Object.keys(changes).length > 0) this.feed.push({ entityType: 'organization', entityId: survivorId, action: 'update', changes, actor });
  }

  private async load(type: MergeableType, id: string): Promise<Person | PartyOrganization> {
    const found = await this.manager.findOne(type === 'person' ? Person : PartyOrganization, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (found) return found;
    const merged = await this.manager.findOne(EntityMerge, { where: { entityType: type, mergedId: id }, order: { mergedAt: 'DESC' } });
    if (merged && !merged.unmergedAt) throw new ConflictException(`${type} ${id} was merged into ${merged.survivorId}`);
    throw new NotFoundException(`no ${type} ${id}`);
  }

  private async exists(type: MergeableType, id: string): Promise<boolean> {
    return this.manager.exists(type === 'person' ? Person : PartyOrganization, { where: { id } });
  }
}

import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChangeEntry, ChangeRecorder } from '@qc/changes';
import { Building, Compound, Grid, ImportBatch, Membership, PartyOrganization, Person, PropertyCompany, RoleAssignment } from '@qc/database';
import { isoWithOffset } from '@qc/time';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { lockRegistry } from './merge-partitions';
import { JOINT_MEMBER_FEED_TYPE } from './joint-desk';
import { ClaimedTable } from './origin';
import { PersonGoldenRecords } from './person-golden-records';
import { loadSurvivorship, SourceRanking } from './survivorship';
import { demoteUnconfirmed } from './unconfirmed-memberships';

/** Change-feed entity types whose values the feed holds in clear, so a batch's updates to them can be reversed from it. */
const REVERSIBLE: Record<string, EntityTarget<ObjectLiteral>> = {
  organization: PartyOrganization, membership: Membership, role: RoleAssignment,
  building: Building, compound: Compound, grid: Grid, property_company: PropertyCompany,
};

/** The entities a create entry names: one, or a range's. */
const CREATED_IDS = 'unnest(coalesce(entity_ids::text[], ARRAY[entity_id]))';

/** Rows that record the batches claiming them: their change-feed type, and the columns a deletion's feed entry shows. */
const CLAIMED: Record<ClaimedTable, { feedType: string; shown: Record<string, string> }> = {
  membership: { feedType: 'membership', shown: { personId: 'person_id', organizationId: 'organization_id' } },
  role_assignment: { feedType: 'role', shown: { personId: 'person_id', role: 'role' } },
  joint_organization_member: { feedType: JOINT_MEMBER_FEED_TYPE, shown: { jointId: 'joint_id', memberId: 'member_id' } },
};

/**
 * Entities a batch may create, in the order they can be deleted (what references another goes
 * first). Divisions are reference data and never deleted.
 */
const DELETABLE: [type: string, table: string][] = [
  ['person', 'person'], ['organization', 'party_organization'], ['building', 'building'],
  ['compound', 'compound'], ['grid', 'grid'], ['property_company', 'property_company'],
];

export interface RollbackResult {
  batchId: string;
  /** False when the batch had been rolled back before: nothing was changed. */
  rolledBack: boolean;
  message: string;
  linksRemoved: number;
  membershipsRemoved: number;
  rolesRemoved: number;
  /** Links of organizations to joint organizations only this batch claimed, removed. */
  jointMembersRemoved: number;
  /** Entities the batch created that no remaining record describes, per type. */
  deleted: Record<string, number>;
  /** Entities the batch touched that other records still describe, put back to what those say. */
  restored: Record<string, number>;
  reviewTasksWithdrawn: number;
}

/**
 * Rollback of an import batch: removes what its records contributed, in one transaction under the
 * registry lock. Persons are rebuilt from their remaining records (the feed masks their personal
 * data); other entities get back the values the batch's change-feed entries replaced, field by
 * field, unless a later change overwrote them since.
 */
@Injectable()
export class BatchRollbackService {
  private readonly rules: SourceRanking = loadSurvivorship();

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly recorder: ChangeRecorder) {}

  async rollback(batchId: string, actor: string): Promise<RollbackResult> {
    if (!isUUID(batchId)) throw new NotFoundException('no import batch with that id');
    return this.dataSource.transaction(async (manager) => {
      await lockRegistry(manager);
      const batch = await manager.findOne(ImportBatch, { where: { id: batchId }, lock: { mode: 'pessimistic_write' } });
      if (!batch) throw new NotFoundException(`no import batch ${batchId}`);
      if (batch.status === 'rolled_back') {
        return { ...emptyResult(batchId), message: `batch ${batchId} was already rolled back (${batch.rolledBackAt ? isoWithOffset(batch.rolledBackAt) : 'earlier'} by ${batch.rolledBackBy}); nothing to do` };
      }
      if (batch.status !== 'completed') {
        throw new ConflictException(['queued', 'staging', 'merging'].includes(batch.status)
          ? `batch ${batchId} is still running (${batch.status}); roll it back once it has completed`
          : `batch ${batchId} is ${batch.status}: it changed nothing in the registry, so there is nothing to roll back`);
      }
      const result = await new BatchUndo(manager, batchId, `rollback:${actor}`, this.rules).run();
      await manager.update(ImportBatch, { id: batchId }, { status: 'rolled_back', rolledBackAt: new Date(), rolledBackBy: actor });
      await this.recorder.record(manager, result.feed);
      return { ...result.counts, batchId, rolledBack: true, message: `batch ${batchId} (${batch.fileName}) rolled back` };
    });
  }
}

function emptyResult(batchId: string): RollbackResult {
  return { batchId, rolledBack: false, message: '', linksRemoved: 0, membershipsRemoved: 0, rolesRemoved: 0, jointMembersRemoved: 0, deleted: {}, restored: {}, reviewTasksWithdrawn: 0 };
}

type Counts = Omit<RollbackResult, 'batchId' | 'rolledBack' | 'message'>;

/** One rollback's work inside its transaction. */
class BatchUndo {
  readonly feed: ChangeEntry[] = [];

  constructor(private readonly manager: EntityManager, private readonly batchId: string, private readonly actor: string, private readonly rules: SourceRanking) {}

  async run(): Promise<{ counts: Counts; feed: ChangeEntry[] }> {
    const touched: { type: string; id: string }[] = await this.manager.query(`
      SELECT DISTINCT l.entity_type AS type, l.entity_id AS id FROM record_link_entry l JOIN source_record r ON r.id = l.source_record_id WHERE r.batch_id = $1`, [this.batchId]);
    const created: { type: string; id: string }[] = await this.manager.query(
      `SELECT DISTINCT entity_type AS type, ${CREATED_IDS} AS id FROM change_log WHERE batch_id = $1 AND action = 'create'`, [this.batchId]);
    // Counted as (record, entity, role) links: a link row with its organization is two.
    const [{ linksRemoved }]: { linksRemoved: number }[] = await this.manager.query(`
      WITH subject AS (DELETE FROM record_link l USING source_record r WHERE r.id = l.source_record_id AND r.batch_id = $1 RETURNING l.organization_id),
           reference AS (DELETE FROM record_reference l USING source_record r WHERE r.id = l.source_record_id AND r.batch_id = $1 RETURNING l.id)
      SELECT ((SELECT count(*) + count(organization_id) FROM subject) + (SELECT count(*) FROM reference))::int AS "linksRemoved"`, [this.batchId]);

    const membershipsRemoved = await this.releaseClaims('membership');
    const rolesRemoved = await this.releaseClaims('role_assignment');
    const jointMembersRemoved = await this.releaseClaims('joint_organization_member');
    const deleted = await this.deleteUndescribed(created);
    const restored = await this.reverseUpdates();
    await this.settleUnconfirmed();
    await this.forgetLineage();

    const persons = new Set([...touched, ...created].filter((e) => e.type === 'person').map((e) => e.id));
    const golden = new PersonGoldenRecords(this.manager, this.rules);
    for (const id of persons) {
      const entry = await golden.recompute(id, this.actor, this.batchId);
      if (entry) {
        this.feed.push(entry);
        restored.person = (restored.person ?? 0) + 1;
      }
    }
    const [, reviewTasksWithdrawn] = await this.manager.query(`
      UPDATE review_task SET status = 'withdrawn', decided_by = $2, decided_at = now(), note = 'the batch that opened it was rolled back'
       WHERE batch_id = $1 AND status = 'open'`, [this.batchId, this.actor]);
    return { counts: { linksRemoved, membershipsRemoved, rolesRemoved, jointMembersRemoved, deleted, restored, reviewTasksWithdrawn }, feed: this.feed };
  }

  /** Memberships, roles and joint-organization links: the batch stops claiming them; those no other batch claims are deleted. */
  private async releaseClaims(table: ClaimedTable): Promise<number> {
    const { feedType, shown } = CLAIMED[table];
    await this.manager.query(`UPDATE ${table} SET batch_ids = array_remove(batch_ids, $1::uuid) WHERE $1::uuid = ANY(batch_ids)`, [this.batchId]);
    const returned = Object.entries(shown).map(([field, column]) => `${column}::text AS "${field}"`).join(', ');
    const [rows]: [Record<string, string>[], number] = await this.manager.query(`
      DELETE FROM ${table} WHERE cardinality(batch_ids) = 0 AND id IN (SELECT unnest(coalesce(entity_ids, ARRAY[entity_id::uuid])) FROM change_log WHERE batch_id = $1 AND entity_type = $2 AND action = 'create')
      RETURNING id::text, ${returned}`, [this.batchId, feedType]);
    for (const row of rows) this.deleted(feedType, row.id, Object.fromEntries(Object.keys(shown).map((f) => [f, [row[f], null]])));
    return rows.length;
  }

  /** Entities the batch created that no remaining record links to (as subject or reference). */
  private async deleteUndescribed(created: { type: string; id: string }[]): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    for (const [type, table] of DELETABLE) {
      const ids = created.filter((e) => e.type === type).map((e) => e.id);
      if (ids.length === 0) continue;
      const gone: string[] = (await this.manager.query(`
        SELECT id::text FROM ${table} t WHERE t.id = ANY($1::uuid[])
           AND NOT EXISTS (SELECT 1 FROM record_link_entry l WHERE l.entity_type = $2 AND l.entity_id = t.id::text)`, [ids, type])).map((r: { id: string }) => r.id);
      if (gone.length === 0) continue;
      if (type === 'organization') await this.detachChildren(gone);
      await this.manager.query(`DELETE FROM external_ref WHERE entity_type = $1 AND entity_id = ANY($2::text[])`, [type, gone]);
      // Memberships, roles and joint links of a deleted person or organization go with it (ON DELETE CASCADE): the feed says so.
      const column = type === 'person' ? 'person_id' : type === 'organization' ? 'organization_id' : null;
      if (column) {
        for (const m of await this.manager.query(`SELECT id::text FROM membership WHERE ${column} = ANY($1::uuid[])`, [gone])) this.deleted('membership', m.id, {});
        for (const r of await this.manager.query(`SELECT id::text FROM role_assignment WHERE ${column} = ANY($1::uuid[])`, [gone])) this.deleted('role', r.id, {});
      }
      if (type === 'organization') {
        const links = await this.manager.query(`SELECT id::text FROM joint_organization_member WHERE joint_id = ANY($1::uuid[]) OR member_id = ANY($1::uuid[])`, [gone]);
        for (const link of links) this.deleted(JOINT_MEMBER_FEED_TYPE, link.id, {});
      }
      await this.manager.query(`DELETE FROM ${table} WHERE id = ANY($1::uuid[])`, [gone]);
      for (const id of gone) this.deleted(type, id, {});
      deleted[type] = gone.length;
    }
    return deleted;
  }

  /** Organizations that stay lose a parent that goes (the parent is RESTRICT-bound). */
  private async detachChildren(goneIds: string[]): Promise<void> {
    const [children]: [{ id: string; parentId: string }[], number] = await this.manager.query(`
      UPDATE party_organization o SET parent_id = NULL
        FROM party_organization p WHERE p.id = o.parent_id AND o.parent_id = ANY($1::uuid[])
       RETURNING o.id::text, p.id::text AS "parentId"`, [goneIds]);
    const going = new Set(goneIds);
    for (const child of children) if (!going.has(child.id)) this.updated('organization', child.id, { parentId: [child.parentId, null] });
  }

  /**
   * The batch's updates, newest first: each field gets back the value the batch replaced, unless
   * the entity has changed it again since (a later batch's value stands).
   */
  private async reverseUpdates(): Promise<Record<string, number>> {
    const entries: { type: string; id: string; changes: Record<string, [unknown, unknown]> }[] = await this.manager.query(`
      SELECT entity_type AS type, entity_id AS id, changes FROM change_log
       WHERE batch_id = $1 AND action = 'update' AND entity_type = ANY($2::text[]) ORDER BY seq DESC`, [this.batchId, Object.keys(REVERSIBLE)]);
    const restored: Record<string, number> = {};
    for (const entry of entries) {
      const target = REVERSIBLE[entry.type];
      const metadata = this.manager.connection.getMetadata(target);
      const current = await this.manager.findOneBy(target, { id: entry.id });
      if (!current) continue;
      const values: Record<string, unknown> = {};
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [field, [before, after]] of Object.entries(entry.changes)) {
        if (!metadata.findColumnWithPropertyName(field) || field === 'lineage') continue;
        if (JSON.stringify(current[field] ?? null) !== JSON.stringify(after ?? null)) continue;
        values[field] = before;
        changes[field] = [after, before];
      }
      if (Object.keys(values).length === 0) continue;
      await this.manager.update(target, { id: entry.id }, values);
      this.updated(entry.type, entry.id, changes);
      restored[entry.type] = (restored[entry.type] ?? 0) + 1;
    }
    return restored;
  }

  /**
   * The unconfirmed-membership rule, applied again to what is left: reversing a roster batch's
   * updates made the memberships it had demoted current again, and where another roster batch still
   * covers their community they are demoted again, in that batch's name.
   */
  private async settleUnconfirmed(): Promise<void> {
    this.feed.push(...await demoteUnconfirmed(this.manager, this.rules));
  }

  /**
   * Lineage entries naming the batch are dropped (persons excepted: their rebuild writes lineage
   * anew): the field keeps its restored value with no source answering for it, so the next record
   * offering one fills it whatever its rank.
   */
  private async forgetLineage(): Promise<void> {
    for (const table of ['party_organization', 'membership', 'role_assignment', 'joint_organization_member', 'building', 'compound', 'grid', 'property_company']) {
      // A lineage slot is record id << 3 | source code (LineageCodec): the slots naming the batch's records become NULL.
      await this.manager.query(`
        UPDATE ${table} t SET lineage = kept.lineage
          FROM (SELECT o.id, array_agg(CASE WHEN r.id IS NULL THEN e.slot END ORDER BY e.at) AS lineage
                  FROM ${table} o CROSS JOIN unnest(o.lineage) WITH ORDINALITY AS e(slot, at)
                  LEFT JOIN (SELECT id FROM source_record WHERE batch_id = $1) r ON r.id = e.slot >> 3
                 GROUP BY o.id HAVING bool_or(r.id IS NOT NULL)) kept
         WHERE t.id = kept.id`, [this.batchId]);
    }
  }

  private deleted(entityType: string, entityId: string, changes: Record<string, [unknown, unknown]>): void {
    this.feed.push({ entityType, entityId, action: 'delete', changes, actor: this.actor, batchId: this.batchId });
  }

  private updated(entityType: string, entityId: string, changes: Record<string, [unknown, unknown]>): void {
    this.feed.push({ entityType, entityId, action: 'update', changes, actor: this.actor, batchId: this.batchId });
  }
}

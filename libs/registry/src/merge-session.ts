import { Injectable } from '@nestjs/common';
import { ChangeRecorder, deleteEntry } from '@qc/changes';
import { ExternalRef } from '@qc/database';
import { loadMatchWeights, MatchWeights } from '@qc/matching';
import { EntityManager } from 'typeorm';
import { ChangeBuffer, RECONCILE } from './change-buffer';
import { CompanyDirectory } from './company-directory';
import { JointDesk } from './joint-desk';
import { MergePartitions, organizationKey } from './merge-partitions';
import { MembershipDesk } from './membership-desk';
import { OrganizationDirectory } from './organization-directory';
import { PersonDirectory } from './person-directory';
import { PlaceDirectory } from './place-directory';
import { moveLinks } from './record-links';
import { ReviewDesk } from './review-desk';
import { RoleDesk } from './role-desk';
import { loadSurvivorship, SourceRanking } from './survivorship';
import { confirmingSources } from './unconfirmed-memberships';

/** An organization without a parent that a building group's branch or its community's committee can now take. */
const TO_BRANCH = `o.parent_id IS NULL AND o.type = 'group' AND o.building_id = b.id AND b.grid_id IS NOT NULL
         AND branch.grid_id = b.grid_id AND branch.type IN ('branch', 'general_branch') AND branch.id <> o.id`;
const TO_COMMITTEE = `o.parent_id IS NULL AND o.division_code IS NOT NULL AND top.division_code = o.division_code
         AND 'community' = ANY(top.tags) AND top.id <> o.id AND NOT ('community' = ANY(o.tags))`;

/**
 * Everything a merge job writes the registry through, bound to its transaction. Created per merge;
 * caches live as long as the merge and never outlive its transaction.
 */
export class MergeSession {
  readonly changes: ChangeBuffer;
  readonly reviews: ReviewDesk;
  readonly places: PlaceDirectory;
  readonly organizations: OrganizationDirectory;
  readonly companies: CompanyDirectory;
  readonly persons: PersonDirectory;
  readonly memberships: MembershipDesk;
  readonly roles: RoleDesk;
  readonly joints: JointDesk;

  /** The partitions the merge holds; none for a session that only reads (batchReach parses names). */
  constructor(readonly manager: EntityManager, private readonly partitions: MergePartitions | null, recorder: ChangeRecorder, weights: MatchWeights, private readonly rules: SourceRanking) {
    this.changes = new ChangeBuffer(recorder);
    this.reviews = new ReviewDesk(manager);
    this.places = new PlaceDirectory(manager, this.changes);
    this.persons = new PersonDirectory(manager, this.changes, this.reviews, weights, rules);
    const holders = this.persons.holders;
    this.organizations = new OrganizationDirectory(manager, this.places, this.changes, this.reviews, rules, holders);
    this.companies = new CompanyDirectory(manager, this.changes, rules);
    this.memberships = new MembershipDesk(manager, this.changes, this.reviews, rules, (personId) => holders.touched(personId));
    this.roles = new RoleDesk(manager, this.changes, (personId) => holders.touched(personId));
    this.joints = new JointDesk(manager, this.changes);
  }

  /** The entities other systems' identifiers were linked to by earlier imports, by identifier: one query for a run of records. */
  async externalRefs(system: string, entityType: string, externalIds: (string | null)[]): Promise<Map<string, string>> {
    const ids = [...new Set(externalIds.filter((id): id is string => !!id))];
    if (ids.length === 0) return new Map();
    const rows: { externalId: string; entityId: string }[] = await this.manager.query(
      `SELECT external_id AS "externalId", entity_id AS "entityId" FROM external_ref WHERE system = $1 AND entity_type = $2 AND external_id = ANY($3)`,
      [system, entityType, ids]);
    return new Map(rows.map((r) => [r.externalId, r.entityId]));
  }

  /** Links other systems' identifiers to entities, in order: an identifier linked twice keeps its last entity, as one write each would. */
  async linkExternals(system: string, entityType: string, links: [externalId: string, entityId: string][]): Promise<void> {
    const last = new Map(links);
    if (last.size === 0) return;
    const rows = [...last].map(([externalId, entityId]) => ({ system, entityType, externalId, entityId }));
    await this.manager.upsert(ExternalRef, rows, ['system', 'entityType', 'externalId']);
  }

  /** Writes what the chunk buffered: memberships, then the change feed. */
  async flush(): Promise<void> {
    await this.memberships.flush();
    await this.changes.flush(this.manager);
  }

  /**
   * Completes the hierarchy once every record is in: organizations without a parent attach to the
   * party committee of their community (building groups to their grid's branch). Then, with every
   * organization placed in its community, memberships only the retired app lists are settled
   * (before retired organizations are absorbed, which looks at which memberships are current);
   * batchSources are the source kinds of the batch being merged.
   */
  async completeHierarchy(batchSources: readonly string[]): Promise<void> {
    if (!this.partitions) throw new Error('a merge session completes the hierarchy only holding its partitions');
    const partitions = this.partitions;
    const orphans = await this.placeableOrphans(partitions);
    const toBranch: [{ id: string; parentId: string }[], number] = await this.manager.query(`
      UPDATE party_organization o SET parent_id = branch.id
        FROM building b, party_organization branch
       WHERE ${TO_BRANCH} AND ($1::uuid[] IS NULL OR o.id = ANY($1::uuid[]))
      RETURNING o.id::text AS id, o.parent_id::text AS "parentId"`, [orphans]);
    const toCommittee: [{ id: string; parentId: string }[], number] = await this.manager.query(`
      UPDATE party_organization o SET parent_id = top.id
        FROM party_organization top
       WHERE ${TO_COMMITTEE} AND ($1::uuid[] IS NULL OR o.id = ANY($1::uuid[]))
      RETURNING o.id::text AS id, o.parent_id::text AS "parentId"`, [orphans]);
    // The feed must say so too, or a follower replaying it would never see these parents.
    for (const { id, parentId } of [...toBranch[0], ...toCommittee[0]]) this.changes.reconciled('organization', id, { parentId: [null, parentId] });
    if (!partitions.whole && (await this.holdsRetiredRecords())) {
      await partitions.ensureWhole('the registry holds the retired app\'s records, which a roster settles city-wide');
    }
    await this.memberships.settleUnconfirmed(batchSources);
    await this.absorbRetiredOrganizations(partitions);
  }

  /**
   * Whether the registry holds records of the retired app: its memberships and organizations are
   * then settled city-wide at the end of a merge, beyond any partition (the whole registry's to do).
   */
  async holdsRetiredRecords(): Promise<boolean> {
    const retired = confirmingSources(this.rules)?.retired;
    if (!retired) return false;
    const [{ present }]: { present: boolean }[] = await this.manager.query(
      `SELECT EXISTS (SELECT 1 FROM import_batch WHERE $1 = ANY(string_to_array(source_kind, '+')) AND status = 'completed') AS present`, [retired]);
    return present;
  }

  /**
   * Under a whole-registry lock null (every orphan is placed); else the organizations without a
   * parent that can now be placed, each owned by this merge (locked, or taken now if free): an
   * organization another merge may be writing is left to the whole registry's lock.
   */
  private async placeableOrphans(partitions: MergePartitions): Promise<string[] | null> {
    if (partitions.whole) return null;
    const rows: { id: string; nameKey: string }[] = await this.manager.query(`
      SELECT o.id::text AS id, o.name_key AS "nameKey" FROM party_organization o
       WHERE EXISTS (SELECT 1 FROM building b, party_organization branch WHERE ${TO_BRANCH})
          OR EXISTS (SELECT 1 FROM party_organization top WHERE ${TO_COMMITTEE})`);
    await partitions.ensure(rows.map((r) => organizationKey(r.nameKey)), 'organizations of other merges can be placed under a parent');
    return partitions.whole ? null : rows.map((r) => r.id);
  }

  /**
   * An organization only the retired app (S5) still lists, none of whose members is current there
   * any more because better sources place every one of them in one same organization of the same
   * community, was merged into that organization since: it becomes that organization (its records,
   * external ids and children move over) and the change feed records the merge.
   */
  private async absorbRetiredOrganizations(partitions: MergePartitions): Promise<void> {
    const pairs: { retired: string; survivor: string }[] = await this.manager.query(`
      WITH retired AS (
        SELECT o.id, o.division_code FROM party_organization o
         WHERE EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = o.id)
           AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = o.id AND m.status = 'current')
           AND NOT EXISTS (SELECT 1 FROM record_link_entry l JOIN source_record r ON r.id = l.source_record_id JOIN import_batch b ON b.id = r.batch_id
                            WHERE l.entity_type = 'organization' AND l.entity_id = o.id::text AND b.source_kind IS DISTINCT FROM 'S5')),
      now_in AS (
        SELECT r.id AS retired, m2.organization_id AS survivor, count(*) AS n, sum(count(*)) OVER (PARTITION BY r.id) AS total
          FROM retired r JOIN membership m ON m.organization_id = r.id
          JOIN membership m2 ON m2.person_id = m.person_id AND m2.status = 'current'
          JOIN party_organization s ON s.id = m2.organization_id AND s.division_code = r.division_code
         GROUP BY r.id, m2.organization_id)
      SELECT retired::text, survivor::text FROM now_in WHERE n = total`);
    if (pairs.length > 0 && !partitions.whole) {
      await partitions.ensureWhole('retired organizations are absorbed, whose records other merges may touch');
      return this.absorbRetiredOrganizations(partitions);
    }
    for (const { retired, survivor } of pairs) {
      await moveLinks(this.manager, 'organization', retired, survivor);
      await this.manager.query(`UPDATE external_ref SET entity_id = $2 WHERE entity_type = 'organization' AND entity_id = $1`, [retired, survivor]);
      await this.manager.query(`UPDATE party_organization SET parent_id = $2 WHERE parent_id = $1`, [retired, survivor]);
      await this.manager.query(`UPDATE role_assignment SET organization_id = $2 WHERE organization_id = $1`, [retired, survivor]);
      const [gone]: [{ id: string }[], number] = await this.manager.query(`DELETE FROM membership WHERE organization_id = $1 RETURNING id::text`, [retired]);
      await this.manager.query(`DELETE FROM party_organization WHERE id = $1`, [retired]);
      this.changes.merged('organization', survivor, retired, RECONCILE, null);
      // Its memberships (all former) do not move to the survivor, as the merge entry would say: they go.
      this.changes.add(gone.map(({ id }) => deleteEntry('membership', id, RECONCILE)));
    }
  }
}

/** Builds merge sessions with the matching weights and survivorship rules read once at start. */
@Injectable()
export class MergeSessionFactory {
  private readonly weights: MatchWeights = loadMatchWeights();
  private readonly rules: SourceRanking = loadSurvivorship();

  constructor(private readonly recorder: ChangeRecorder) {}

  open(manager: EntityManager, partitions: MergePartitions | null = null): MergeSession {
    return new MergeSession(manager, partitions, this.recorder, this.weights, this.rules);
  }
}

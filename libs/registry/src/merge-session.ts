import { Injectable } from '@nestjs/common';
import { ChangeRecorder, deleteEntry } from '@qc/changes';
import { ExternalRef } from '@qc/database';
import { loadMatchWeights, MatchWeights } from '@qc/matching';
import { EntityManager } from 'typeorm';
import { ChangeBuffer, RECONCILE } from './change-buffer';
import { CompanyDirectory } from './company-directory';
import { JointDesk } from './joint-desk';
import { MembershipDesk } from './membership-desk';
import { OrganizationDirectory } from './organization-directory';
import { PersonDirectory } from './person-directory';
import { PlaceDirectory } from './place-directory';
import { moveLinks } from './record-links';
import { ReviewDesk } from './review-desk';
import { RoleDesk } from './role-desk';
import { loadSurvivorship, SourceRanking } from './survivorship';

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

  constructor(readonly manager: EntityManager, recorder: ChangeRecorder, weights: MatchWeights, rules: SourceRanking) {
    this.changes = new ChangeBuffer(recorder);
    this.reviews = new ReviewDesk(manager);
    this.places = new PlaceDirectory(manager, this.changes);
    this.organizations = new OrganizationDirectory(manager, this.places, this.changes, this.reviews, rules);
    this.companies = new CompanyDirectory(manager, this.changes, rules);
    this.persons = new PersonDirectory(manager, this.changes, this.reviews, weights, rules);
    this.memberships = new MembershipDesk(manager, this.changes, this.reviews, rules);
    this.roles = new RoleDesk(manager, this.changes);
    this.joints = new JointDesk(manager, this.changes);
  }

  /** The entity another system's identifier was linked to by an earlier import. */
  async externalRef(system: string, entityType: string, externalId: string): Promise<string | null> {
    const ref = await this.manager.findOneBy(ExternalRef, { system, entityType, externalId });
    return ref?.entityId ?? null;
  }

  async linkExternal(system: string, entityType: string, externalId: string, entityId: string): Promise<void> {
    await this.manager.upsert(ExternalRef, { system, entityType, externalId, entityId }, ['system', 'entityType', 'externalId']);
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
    const toBranch: [{ id: string; parentId: string }[], number] = await this.manager.query(`
      UPDATE party_organization o SET parent_id = branch.id
        FROM building b, party_organization branch
       WHERE o.parent_id IS NULL AND o.type = 'group' AND o.building_id = b.id AND b.grid_id IS NOT NULL
         AND branch.grid_id = b.grid_id AND branch.type IN ('branch', 'general_branch') AND branch.id <> o.id
      RETURNING o.id::text AS id, o.parent_id::text AS "parentId"`);
    const toCommittee: [{ id: string; parentId: string }[], number] = await this.manager.query(`
      UPDATE party_organization o SET parent_id = top.id
        FROM party_organization top
       WHERE o.parent_id IS NULL AND o.division_code IS NOT NULL AND top.division_code = o.division_code
         AND 'community' = ANY(top.tags) AND top.id <> o.id AND NOT ('community' = ANY(o.tags))
      RETURNING o.id::text AS id, o.parent_id::text AS "parentId"`);
    // The feed must say so too, or a follower replaying it would never see these parents.
    for (const { id, parentId } of [...toBranch[0], ...toCommittee[0]]) this.changes.reconciled('organization', id, { parentId: [null, parentId] });
    await this.memberships.settleUnconfirmed(batchSources);
    await this.absorbRetiredOrganizations();
  }

  /**
   * An organization only the retired app (S5) still lists, none of whose members is current there
   * any more because better sources place every one of them in one same organization of the same
   * community, was merged into that organization since: it becomes that organization (its records,
   * external ids and children move over) and the change feed records the merge.
   */
  private async absorbRetiredOrganizations(): Promise<void> {
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

  open(manager: EntityManager): MergeSession {
    return new MergeSession(manager, this.recorder, this.weights, this.rules);
  }
}

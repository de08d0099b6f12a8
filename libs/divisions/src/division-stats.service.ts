import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { levelOfCode } from './division-code';

/** The consolidated figures of a community, or summed over the communities of a street, district or the city. */
export interface DivisionStats {
  communities: number;
  households: number;
  residents: number;
  /** Minority residents / residents, 4 decimals; null without residents. */
  minorityShare: number | null;
  communityWorkers: number;
  grids: number;
  gridBranches: number;
  compounds: number;
  buildings: number;
  buildingLeads: number;
  buildingGroups: number;
  centralHouseholds: number;
  organizations: number;
  members: number;
  fullMembers: number;
  probationaryMembers: number;
  redPropertyBranches: number;
}

const PREFIX_LENGTH = { city: 4, district: 6, street: 9, community: 12 } as const;

/**
 * One SQL statement per request, over the communities whose code starts with the division's
 * significant digits. Definitions (the ones the city checks reports against):
 * - members: persons with a current membership in an organization of the community (a member who
 *   moved counts where they are now; the deceased and former members not at all);
 * - buildingLeads: buildings that have a building lead; centralHouseholds: persons holding that role;
 * - gridBranches: branches attached to a grid; buildingGroups: party groups (党小组).
 */
@Injectable()
export class DivisionStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(code: string): Promise<DivisionStats> {
    const prefix = code.slice(0, PREFIX_LENGTH[levelOfCode(code)]);
    const [row] = await this.dataSource.query(STATS_SQL, [`${prefix}%`, levelOfCode(code) === 'city']);
    const n = (v: unknown) => Number(v ?? 0);
    const residents = n(row.residents);
    return {
      communities: n(row.communities), households: n(row.households), residents,
      minorityShare: residents > 0 ? Math.round((n(row.minority) / residents) * 10000) / 10000 : null,
      communityWorkers: n(row.workers), grids: n(row.grids), gridBranches: n(row.grid_branches), compounds: n(row.compounds),
      buildings: n(row.buildings), buildingLeads: n(row.building_leads), buildingGroups: n(row.building_groups),
      centralHouseholds: n(row.central_households), organizations: n(row.organizations), members: n(row.members),
      fullMembers: n(row.full_members), probationaryMembers: n(row.probationary_members), redPropertyBranches: n(row.red_property),
    };
  }
}

const STATS_SQL = `
WITH c AS (SELECT * FROM division WHERE level = 'community' AND code LIKE $1),
     orgs AS (SELECT o.* FROM party_organization o WHERE o.division_code IN (SELECT code FROM c)),
     current AS (
       SELECT DISTINCT ON (m.person_id) m.person_id, m.category FROM membership m
         JOIN orgs ON orgs.id = m.organization_id WHERE m.status = 'current' ORDER BY m.person_id, m.updated_at DESC)
SELECT
  (SELECT count(*) FROM c) AS communities,
  (SELECT sum(households) FROM c) AS households,
  (SELECT sum(residents) FROM c) AS residents,
  (SELECT sum(minority_residents) FROM c WHERE residents IS NOT NULL) AS minority,
  (SELECT sum(community_workers) FROM c) AS workers,
  (SELECT count(*) FROM grid WHERE community_code IN (SELECT code FROM c)) AS grids,
  (SELECT count(*) FROM orgs WHERE grid_id IS NOT NULL AND type IN ('branch', 'general_branch')) AS grid_branches,
  (SELECT count(*) FROM compound WHERE community_code IN (SELECT code FROM c)) AS compounds,
  (SELECT count(*) FROM building b JOIN compound k ON k.id = b.compound_id WHERE k.community_code IN (SELECT code FROM c)) AS buildings,
  (SELECT count(DISTINCT r.building_id) FROM role_assignment r WHERE r.role = 'building_lead' AND r.division_code IN (SELECT code FROM c)) AS building_leads,
  (SELECT count(*) FROM orgs WHERE type = 'group') AS building_groups,
  (SELECT count(DISTINCT r.person_id) FROM role_assignment r WHERE r.role = 'central_household' AND r.division_code IN (SELECT code FROM c)) AS central_households,
  (SELECT count(*) FROM orgs) AS organizations,
  (SELECT count(*) FROM current) AS members,
  (SELECT count(*) FROM current WHERE category = 'full') AS full_members,
  (SELECT count(*) FROM current WHERE category = 'probationary') AS probationary_members,
  -- A company's branch whose community no source named yet still counts for the city.
  (SELECT count(*) FROM party_organization WHERE 'red-property' = ANY(tags) AND (division_code LIKE $1 OR ($2 AND division_code IS NULL))) AS red_property`;

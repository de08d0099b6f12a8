import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { levelOfCode, significantPrefix } from './division-code';

/** What the registry itself counts, for one community or summed. */
export interface RegistryCounts {
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

/** The consolidated figures of a community, or summed over the communities of a street, district or the city. */
export interface DivisionStats extends RegistryCounts {
  communities: number;
  households: number;
  residents: number;
  /** Minority residents / residents, 4 decimals; null without residents. */
  minorityShare: number | null;
  communityWorkers: number;
}

/** One community's own counts, the terms every DivisionStats is the sum of. Reported figures are null when no source gave them. */
export interface CommunityCounts extends RegistryCounts {
  code: string;
  name: string;
  /** The subdistrict (street) the community belongs to. */
  parentCode: string | null;
  households: number | null;
  residents: number | null;
  /** Counted only where residents are known, so that the share is of the same people. */
  minorityResidents: number | null;
  communityWorkers: number | null;
}

/**
 * The figures of a division are the sums of its communities' counts (one SQL statement for all of
 * them), so a report listing communities with subtotals and the stats of any division agree by
 * construction. Definitions (the ones the city checks reports against):
 * - members: persons with a current membership in an organization of the community (a member who
 *   moved counts where they are now; the deceased and former members not at all);
 * - buildingLeads: buildings that have a building lead; centralHouseholds: persons holding that role;
 * - gridBranches: branches attached to a grid; buildingGroups: party groups (党小组).
 */
@Injectable()
export class DivisionStatsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async stats(code: string): Promise<DivisionStats> {
    const communities = await this.communityCounts(code);
    // A company's branch whose community no source named yet still counts for the city.
    const unplaced = levelOfCode(code) === 'city'
      ? Number((await this.dataSource.query(UNPLACED_RED_PROPERTY_SQL))[0].n)
      : 0;
    return sumCommunityCounts(communities, unplaced);
  }

  /** Every community of the division (the community itself for a community code), ordered by code. */
  async communityCounts(code: string): Promise<CommunityCounts[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(COMMUNITY_COUNTS_SQL, [`${significantPrefix(code)}%`]);
    const count = (v: unknown) => Number(v ?? 0);
    const reported = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rows.map((row) => ({
      code: String(row.code), name: String(row.name), parentCode: row.parent_code === null ? null : String(row.parent_code),
      households: reported(row.households), residents: reported(row.residents), minorityResidents: reported(row.minority),
      communityWorkers: reported(row.workers), grids: count(row.grids), gridBranches: count(row.grid_branches), compounds: count(row.compounds),
      buildings: count(row.buildings), buildingLeads: count(row.building_leads), buildingGroups: count(row.building_groups),
      centralHouseholds: count(row.central_households), organizations: count(row.organizations), members: count(row.members),
      fullMembers: count(row.full_members), probationaryMembers: count(row.probationary_members), redPropertyBranches: count(row.red_property),
    }));
  }
}

/** The figures of a set of communities: their counts summed, the minority share recomputed from the sums. */
export function sumCommunityCounts(communities: readonly CommunityCounts[], unplacedRedProperty = 0): DivisionStats {
  const sum = (field: keyof Omit<CommunityCounts, 'code' | 'name' | 'parentCode'>) => communities.reduce((total, c) => total + (c[field] ?? 0), 0);
  const residents = sum('residents');
  return {
    communities: communities.length, households: sum('households'), residents,
    minorityShare: residents > 0 ? Math.round((sum('minorityResidents') / residents) * 10000) / 10000 : null,
    communityWorkers: sum('communityWorkers'), grids: sum('grids'), gridBranches: sum('gridBranches'), compounds: sum('compounds'),
    buildings: sum('buildings'), buildingLeads: sum('buildingLeads'), buildingGroups: sum('buildingGroups'),
    centralHouseholds: sum('centralHouseholds'), organizations: sum('organizations'), members: sum('members'),
    fullMembers: sum('fullMembers'), probationaryMembers: sum('probationaryMembers'), redPropertyBranches: sum('redPropertyBranches') + unplacedRedProperty,
  };
}

const COMMUNITY_COUNTS_SQL = `
WITH c AS (SELECT code, name, parent_code, households, residents, minority_residents, community_workers FROM division WHERE level = 'community' AND code LIKE $1),
     orgs AS (SELECT o.id, o.division_code, o.type, o.grid_id, o.tags FROM party_organization o WHERE o.division_code IN (SELECT code FROM c)),
     current AS (
       SELECT DISTINCT ON (m.person_id) m.person_id, m.category, orgs.division_code FROM membership m
         JOIN orgs ON orgs.id = m.organization_id WHERE m.status = 'current' ORDER BY m.person_id, m.updated_at DESC)
SELECT c.code, c.name, c.parent_code, c.households, c.residents, c.community_workers AS workers,
  CASE WHEN c.residents IS NOT NULL THEN c.minority_residents END AS minority,
  g.grids, o.grid_branches, o.building_groups, o.organizations, o.red_property, k.compounds, b.buildings,
  r.building_leads, r.central_households, m.members, m.full_members, m.probationary_members
FROM c
LEFT JOIN (SELECT community_code AS code, count(*) AS grids FROM grid WHERE community_code IN (SELECT code FROM c) GROUP BY 1) g USING (code)
LEFT JOIN (
  SELECT division_code AS code,
    count(*) FILTER (WHERE grid_id IS NOT NULL AND type IN ('branch', 'general_branch')) AS grid_branches,
    count(*) FILTER (WHERE type = 'group') AS building_groups,
    count(*) AS organizations,
    count(*) FILTER (WHERE 'red-property' = ANY(tags)) AS red_property
  FROM orgs GROUP BY 1) o USING (code)
LEFT JOIN (SELECT community_code AS code, count(*) AS compounds FROM compound WHERE community_code IN (SELECT code FROM c) GROUP BY 1) k USING (code)
LEFT JOIN (
  SELECT k.community_code AS code, count(*) AS buildings FROM building b JOIN compound k ON k.id = b.compound_id
  WHERE k.community_code IN (SELECT code FROM c) GROUP BY 1) b USING (code)
LEFT JOIN (
  SELECT division_code AS code,
    count(DISTINCT building_id) FILTER (WHERE role = 'building_lead') AS building_leads,
    count(DISTINCT person_id) FILTER (WHERE role = 'central_household') AS central_households
  FROM role_assignment WHERE division_code IN (SELECT code FROM c) GROUP BY 1) r USING (code)
LEFT JOIN (
  SELECT division_code AS code, count(*) AS members,
    count(*) FILTER (WHERE category = 'full') AS full_members,
    count(*) FILTER (WHERE category = 'probationary') AS probationary_members
  FROM current GROUP BY 1) m USING (code)
ORDER BY c.code`;

const UNPLACED_RED_PROPERTY_SQL = `SELECT count(*) AS n FROM party_organization WHERE 'red-property' = ANY(tags) AND division_code IS NULL`;

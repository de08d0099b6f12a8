import { Injectable } from '@nestjs/common';
import { OrganizationTag, OrganizationType } from '@qc/database';
import { Page } from './cursor';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, escapeLike, pageById, SqlFilter } from './sql';

export interface MemberCounts { full: number; probationary: number; total: number }

export interface OrganizationView {
  id: string;
  parentId: string | null;
  type: OrganizationType;
  tags: OrganizationTag[];
  formalName: string | null;
  shortName: string;
  divisionCode: string | null;
  gridId: string | null;
  compoundId: string | null;
  buildingId: string | null;
  propertyCompanyId: string | null;
  foundedOn: string | null;
  foundedPrecision: 'day' | 'month' | 'year' | null;
  /** Current memberships held directly in this organization. */
  members: MemberCounts;
}

/** Another organization, by id and short name. */
export interface OrganizationRef { id: string; shortName: string }

/** One organization as GET /v1/organizations/{id} shows it: with the joint organizations it is part of. */
export interface OrganizationDetail extends OrganizationView {
  /** For a joint organization (联合党支部): the organizations taking part in it. */
  jointMembers: OrganizationRef[];
  /** The joint organizations this one takes part in. */
  jointOrganizations: OrganizationRef[];
}

export interface OrganizationFilter {
  type?: OrganizationType;
  tag?: OrganizationTag;
  /** 12-digit code: the division and everything below it. */
  divisionCode?: string;
  parentId?: string;
  /** Part of the formal or the short name. */
  q?: string;
  after?: string;
  limit: number;
}

export interface OrganizationTreeNode {
  id: string;
  type: OrganizationType;
  tags: OrganizationTag[];
  shortName: string;
  members: MemberCounts;
  /** Persons holding the 党员中心户 role for this organization. */
  centralHouseholds: number;
  children: OrganizationTreeNode[];
}

/** 社区党委 → 网格党支部 → 楼栋党小组: a tree is never deeper than this below the organization asked for. */
export const MAX_TREE_DEPTH = 3;

const LIST = 'organizations';

const COLUMNS = `o.id, o.parent_id, o.type, o.tags, o.formal_name, o.short_name, o.division_code, o.grid_id, o.compound_id,
  o.building_id, o.property_company_id, to_char(o.founded_on, 'YYYY-MM-DD') AS founded_on, o.founded_precision`;

/** Current members of one organization, by category (the membership index on organization_id serves it). */
export const MEMBER_COUNTS = (org: string) => `(SELECT json_build_object(
    'full', count(*) FILTER (WHERE m.category = 'full'), 'probationary', count(*) FILTER (WHERE m.category = 'probationary'), 'total', count(*))
  FROM membership m WHERE m.organization_id = ${org} AND m.status = 'current')`;

/** The organizations at the other end of this one's joint-organization links, by short name. */
const JOINT_REFS = (other: string, where: string) => `(SELECT coalesce(json_agg(json_build_object('id', r.id, 'shortName', r.short_name) ORDER BY r.short_name, r.id), '[]'::json)
  FROM joint_organization_member j JOIN party_organization r ON r.id = ${other} WHERE ${where})`;

interface OrganizationRow {
  id: string; parent_id: string | null; type: OrganizationType; tags: OrganizationTag[]; formal_name: string | null; short_name: string;
  division_code: string | null; grid_id: string | null; compound_id: string | null; building_id: string | null;
  property_company_id: string | null; founded_on: string | null; founded_precision: OrganizationView['foundedPrecision']; members: MemberCounts;
}

@Injectable()
export class OrganizationQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  async list(filter: OrganizationFilter): Promise<Page<OrganizationView>> {
    const f = new SqlFilter();
    if (filter.type) f.where(`o.type = ${f.param(filter.type)}`);
    // @> (not = ANY) so the GIN index on tags answers it.
    if (filter.tag) f.where(`o.tags @> ARRAY[${f.param(filter.tag)}]::text[]`);
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`o.division_code BETWEEN ${f.param(from)} AND ${f.param(to)}`);
    }
    if (filter.parentId) f.where(`o.parent_id = ${f.param(filter.parentId)}`);
    if (filter.q) {
      const pattern = f.param(`%${escapeLike(filter.q)}%`);
      f.where(`(o.short_name LIKE ${pattern} OR o.formal_name LIKE ${pattern})`);
    }
    const page = await pageById<OrganizationRow>(this.dataSource, LIST, `SELECT ${COLUMNS}, ${MEMBER_COUNTS('o.id')} AS members FROM party_organization o`, 'o.id', f, filter);
    return { items: page.items.map(toView), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<OrganizationDetail | null> {
    const [row]: (OrganizationRow & Pick<OrganizationDetail, 'jointMembers' | 'jointOrganizations'>)[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, ${MEMBER_COUNTS('o.id')} AS members,
         ${JOINT_REFS('j.member_id', 'j.joint_id = o.id')} AS "jointMembers",
         ${JOINT_REFS('j.joint_id', 'j.member_id = o.id')} AS "jointOrganizations"
         FROM party_organization o WHERE o.id = $1`, [id]);
    return row ? { ...toView(row), jointMembers: row.jointMembers, jointOrganizations: row.jointOrganizations } : null;
  }

  /** The organization and its descendants down to `depth` levels below it, in one recursive query. */
  async tree(id: string, depth = MAX_TREE_DEPTH): Promise<OrganizationTreeNode | null> {
    const rows: (Omit<OrganizationTreeNode, 'children'> & { parentId: string | null; level: number })[] = await this.dataSource.query(`
      WITH RECURSIVE t AS (
        SELECT o.id, o.parent_id, o.type, o.tags, o.short_name, 0 AS level FROM party_organization o WHERE o.id = $1
        UNION ALL
        SELECT c.id, c.parent_id, c.type, c.tags, c.short_name, t.level + 1 FROM party_organization c JOIN t ON c.parent_id = t.id
         WHERE t.level < $2)
      SELECT t.id, t.parent_id AS "parentId", t.type, t.tags, t.short_name AS "shortName", t.level, ${MEMBER_COUNTS('t.id')} AS members,
        (SELECT count(DISTINCT r.person_id)::int FROM role_assignment r WHERE r.organization_id = t.id AND r.role = 'central_household') AS "centralHouseholds"
        FROM t ORDER BY t.level, t.short_name, t.id`, [id, depth]);
    if (rows.length === 0) return null;
    const nodes = new Map<string, OrganizationTreeNode>();
    for (const r of rows) nodes.set(r.id, { id: r.id, type: r.type, tags: r.tags, shortName: r.shortName, members: r.members, centralHouseholds: r.centralHouseholds, children: [] });
    for (const row of rows.slice(1)) nodes.get(row.parentId!)!.children.push(nodes.get(row.id)!);
    return nodes.get(id)!;
  }
}

function toView(r: OrganizationRow): OrganizationView {
  return {
    id: r.id, parentId: r.parent_id, type: r.type, tags: r.tags, formalName: r.formal_name, shortName: r.short_name,
    divisionCode: r.division_code, gridId: r.grid_id, compoundId: r.compound_id, buildingId: r.building_id,
    propertyCompanyId: r.property_company_id, foundedOn: r.founded_on, foundedPrecision: r.founded_precision, members: r.members,
  };
}

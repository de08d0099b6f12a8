/** The synthetic city's structure: divisions, grids, compounds, buildings, organizations, companies. */

export type SourceKind = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6';
export const ALL_KINDS: readonly SourceKind[] = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];

export type OrgType =
  | 'community_committee'
  | 'grid_branch'
  | 'functional_branch'
  | 'building_group'
  | 'red_property_branch'
  | 'joint';

export interface Org {
  truthId: string;
  type: OrgType;
  parent?: Org;
  communityCode: string;
  /** 党委 / 党总支 / 党支部 / 党小组 / 联合党支部 */
  form: string;
  /** Short name as most systems show it: 兴康社区第一网格党支部 */
  name: string;
  /** Formal name: 中共呼和浩特市赛罕区人民路街道兴康社区第一网格支部委员会 */
  formal: string;
  /** What a community ledger calls it: 第一网格党支部 */
  label: string;
  /** Current memberships held directly in this organization (0 for party groups and joint orgs). */
  members: number;
  company?: Company;
  grid?: Grid;
  building?: Building;
  /** 党组织成立时间 (red-property branches): [year, month] */
  founded?: [number, number];
  /** Secretary / leader once people exist. */
  leader?: PersonRef;
}

export interface PersonRef {
  truthId: string;
  name: string;
  phone: string;
  member: boolean;
}

export interface Grid {
  truthId: string;
  code: string;
  no: number;
  branch?: Org;
  worker?: PersonRef;
}

export interface Compound {
  truthId: string;
  name: string;
  address: string;
  no: number;
}

export interface Building {
  truthId: string;
  compound: Compound;
  no: number;
  units: number;
  households: number;
  grid: Grid;
  /** 'member' → a party member of the grid's branch (or the committee) leads it; 'resident' → a non-member */
  leadKind?: 'member' | 'resident';
  lead?: PersonRef;
  group?: Org;
  centralPlanned?: boolean;
  /** Members of the grid branch living in a building that has a party group. */
  groupMembers?: number;
  central?: { person: PersonRef; contacts: number; unit: number; room: string };
}

export interface Company {
  truthId: string;
  name: string;
  trade: string;
  uscc: string;
  districtCode: string;
  compounds: Compound[];
  community: Community;
  org: Org;
  joint?: Org;
}

export interface Community {
  index: number;
  code: string;
  /** NBS name: 兴康社区居委会 */
  nbsName: string;
  /** 兴康社区 */
  name: string;
  /** 兴康 */
  short: string;
  streetCode: string;
  streetName: string;
  districtCode: string;
  districtName: string;
  /** District code used in ID numbers of people registered here. */
  idRegion: string;
  households: number;
  residents: number;
  minorityResidents: number;
  workers: number;
  grids: Grid[];
  compounds: Compound[];
  buildings: Building[];
  committee: Org;
  gridBranches: Org[];
  functional: Org[];
  groups: Org[];
  redProperty: Org[];
  joints: Org[];
  /** Planned current memberships in the community's organizations. */
  memberBudget: number;
  probationaryShare: number;
  ledger: boolean;
  fact?: 'xingkang' | 'sanshundian' | 'hexi';
  /** Cross-community movers arriving here (count) and leaving from here (target indexes). */
  incoming: number;
  outgoing: number[];
  deceased: number;
  /** Planning figures. */
  gridBranchCount: number;
  groupCount: number;
  functionalNames: string[];
  centralCount: number;
}

/** All organizations of a community in a stable order. */
export function communityOrgs(c: Community): Org[] {
  return [c.committee, ...c.gridBranches, ...c.functional, ...c.groups, ...c.redProperty, ...c.joints];
}

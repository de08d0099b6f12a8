import { newEntityId, ORGANIZATION_TAGS, OrganizationTag, OrganizationType, PartyOrganization } from '@qc/database';
import { damagedKeyPattern, isDamaged, OrgForm, parseOrgName, ParsedOrgName } from '@qc/naming';
import { because, Reason } from '@qc/reasons';
import { cleanText } from '@qc/text';
import { EntityManager, In, IsNull } from 'typeorm';
import { ChangeBuffer } from './change-buffer';
import { NamedHolderIndex } from './named-holders';
import { lineageEntry, Origin } from './origin';
import { CommunityHint, PlaceDirectory } from './place-directory';
import { ReviewDesk } from './review-desk';
import { SourceRanking, survive } from './survivorship';

/** One source's statement about an organization. */
export interface OrganizationClaim {
  name: string;
  /** The community the source is about (a ledger's title), assumed when the name has none. */
  contextCommunityCode?: string | null;
  /** Community named in other columns of the row (S4's 所属社区, 所属街道, 所属区). */
  hint?: CommunityHint;
  /** The type the source states (组织层级, the app's orgType), over the one the name suggests. */
  type?: OrganizationType | null;
  tags?: OrganizationTag[];
  parentId?: string | null;
  propertyCompanyId?: string | null;
  compoundId?: string | null;
  buildingId?: string | null;
  foundedOn?: string | null;
  foundedPrecision?: 'day' | 'month' | 'year' | null;
}

export type OrganizationFound =
  | { ok: true; organization: PartyOrganization; outcome: 'created' | 'updated' | 'unchanged'; method: string }
  | { ok: false; reason: Reason };

const SHORT_SUFFIX: Record<OrgForm, string> = {
  committee: '党委', general_branch: '党总支', branch: '党支部', group: '党小组', joint_branch: '联合党支部', joint_committee: '联合党委', unknown: '党组织',
};
const GOLDEN_FIELDS = ['type', 'shortName', 'formalName', 'parentId', 'divisionCode', 'gridId', 'buildingId', 'compoundId', 'propertyCompanyId', 'foundedOn', 'foundedPrecision'] as const;

/**
 * Finds or creates party organizations. An organization is identified by the form-free key of its
 * name (@qc/naming) within its community, or by its company for a company's branch, so the formal
 * name, the short name and the retired app's name of one organization meet in one entity.
 */
export class OrganizationDirectory {
  private cache = new Map<string, PartyOrganization>();
  /** Claims already applied in this merge: a roster names its few organizations on every row. */
  private applied = new Map<string, PartyOrganization>();
  /** Every organization this merge found or created, by id: the copy its writes keep current. */
  private byId = new Map<string, PartyOrganization>();
  /** Name key → every organization of that key, oldest first, for the keys read ahead (readAhead). */
  private named = new Map<string, PartyOrganization[]>();

  constructor(
    private readonly manager: EntityManager,
    private readonly places: PlaceDirectory,
    private readonly changes: ChangeBuffer,
    private readonly reviews: ReviewDesk,
    private readonly rules: SourceRanking,
    /** Told of organizations created or moved to another community, which change who holds a role in their scope. */
    private readonly holders: NamedHolderIndex,
  ) {}

  async parse(name: string, contextCommunityCode?: string | null): Promise<ParsedOrgName> {
    const context = contextCommunityCode ? await this.places.division(contextCommunityCode) : null;
    return parseOrgName(name, await this.places.placeIndex(), context ? { community: context.name } : undefined);
  }

  /** The organization a name designates, without creating it. */
  async find(name: string, contextCommunityCode?: string | null): Promise<PartyOrganization | null> {
    const parsed = await this.parse(name, contextCommunityCode);
    if (parsed.coreKey === '') return null;
    const divisionCode = await this.communityOf(parsed, {}, contextCommunityCode);
    return this.lookup(parsed, typeof divisionCode === 'string' ? divisionCode : contextCommunityCode ?? null);
  }

  /**
   * Reads ahead, in one query for a run of records, every organization bearing the name key of one
   * of these names (in any community): looking them up then asks the registry nothing, as this
   * directory creates organizations itself and keeps the lists current.
   */
  async readAhead(names: { name: string | null; contextCommunityCode?: string | null }[]): Promise<void> {
    const keys = new Set<string>();
    for (const { name, contextCommunityCode } of names) {
      if (!name) continue;
      const parsed = await this.parse(cleanText(name), contextCommunityCode);
      if (parsed.coreKey !== '' && !this.named.has(parsed.coreKey)) keys.add(parsed.coreKey);
    }
    if (keys.size === 0) return;
    const rows = await this.manager.find(PartyOrganization, { where: { nameKey: In([...keys]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const key of keys) this.named.set(key, []);
    for (const row of rows) this.named.get(row.nameKey)!.push(this.byId.get(row.id) ?? row);
  }

  /** The organization as this merge holds it, when it found or created it (its own writes applied): else undefined. */
  resolvedInThisMerge(id: string): PartyOrganization | undefined {
    return this.byId.get(id);
  }

  async resolve(claim: OrganizationClaim, origin: Origin): Promise<OrganizationFound> {
    // The same statement from the same source again changes nothing survivorship has not already decided.
    const key = appliedKey(claim, origin);
    const applied = this.applied.get(key);
    if (applied) return { ok: true, organization: applied, outcome: 'unchanged', method: 'name' };
    const found = await this.apply(claim, origin);
    if (found.ok) this.applied.set(key, found.organization);
    return found;
  }

  private async apply(claim: OrganizationClaim, origin: Origin): Promise<OrganizationFound> {
    const name = cleanText(claim.name);
    const parsed = await this.parse(name, claim.contextCommunityCode);
    if (parsed.coreKey === '') return { ok: false, reason: because('organization-unnamed', { name }) };
    const community = await this.communityOf(parsed, claim.hint ?? {}, claim.contextCommunityCode);
    if (typeof community === 'object' && community !== null) return community;
    const divisionCode = community;
    const isJoint = parsed.form === 'joint_branch' || parsed.form === 'joint_committee' || parsed.tags.includes('joint');
    const type = claim.type ?? typeOf(parsed, isJoint);
    const tags = [...new Set([...parsed.tags.filter((t): t is OrganizationTag => (ORGANIZATION_TAGS as readonly string[]).includes(t)), ...(claim.tags ?? [])])];
    const formal = /^(?:中共|中国共产党)/.test(name);
    const gridId = parsed.grid && divisionCode && !parsed.building ? (await this.places.grid(divisionCode, parsed.grid, {}, origin)).id : null;
    const offered: Partial<PartyOrganization> = {
      type, ...(formal ? { formalName: name } : { shortName: name }), divisionCode, gridId,
      parentId: claim.parentId ?? null, propertyCompanyId: claim.propertyCompanyId ?? null, compoundId: claim.compoundId ?? null,
      buildingId: claim.buildingId ?? null, foundedOn: claim.foundedOn ?? null, foundedPrecision: claim.foundedPrecision ?? null,
    };

    const existing = await this.lookup(parsed, divisionCode);
    if (!existing) {
      const organization = this.manager.create(PartyOrganization, {
        ...offered, id: newEntityId(), shortName: formal ? `${parsed.core}${SHORT_SUFFIX[parsed.form]}` : name,
        nameKey: parsed.coreKey, tags, lineage: {},
      });
      for (const field of GOLDEN_FIELDS) if (organization[field] !== null && organization[field] !== undefined) organization.lineage[field] = lineageEntry(origin);
      await this.manager.insert(PartyOrganization, organization);
      this.named.get(organization.nameKey)?.push(organization);
      this.changes.created('organization', organization.id, origin);
      this.holders.organizationCreated(organization.id);
      this.remember(organization);
      return { ok: true, organization, outcome: 'created', method: 'created' };
    }

    if (offered.parentId && existing.parentId && offered.parentId !== existing.parentId) {
      await this.reviews.open({
        kind: 'conflict', entityType: 'organization', leftId: existing.id, rightId: offered.parentId,
        decisionParts: ['parent', existing.id, offered.parentId], score: null, evidence: [],
        summary: `${existing.shortName}: this record gives another parent organization than the registry holds`,
      }, origin);
    }
    const result = survive(this.rules, 'organization', existing, existing.lineage, offered, origin);
    const newTags = tags.filter((t) => !existing.tags.includes(t));
    if (result.dirty || newTags.length > 0) {
      const values = { ...result.values, tags: [...existing.tags, ...newTags], lineage: result.lineage };
      await this.manager.update(PartyOrganization, { id: existing.id }, values);
      Object.assign(existing, values);
      if (newTags.length > 0) result.changes.tags = [existing.tags.filter((t) => !newTags.includes(t)), existing.tags];
      this.changes.updated('organization', existing.id, result.changes, origin);
      if ('divisionCode' in result.changes) this.holders.organizationMoved();
    }
    this.remember(existing);
    const changed = Object.keys(result.changes).length > 0;
    return { ok: true, organization: existing, outcome: changed ? 'updated' : 'unchanged', method: 'name' };
  }

  private async communityOf(parsed: ParsedOrgName, hint: CommunityHint, contextCode?: string | null): Promise<string | null | { ok: false; reason: Reason }> {
    if (parsed.community) {
      const found = await this.places.community({ community: parsed.placePrefix + parsed.community, subdistrict: hint.subdistrict, district: hint.district });
      if (found.ok) return found.value.code;
      if (contextCode) return contextCode;
      // A name several communities share: the one whose organization of this name the registry already holds.
      if (found.candidates) {
        const holders = await this.manager.findBy(PartyOrganization, { nameKey: parsed.coreKey, divisionCode: In(found.candidates.map((c) => c.code)) });
        const codes = new Set(holders.map((o) => o.divisionCode));
        if (codes.size === 1) return [...codes][0];
      }
      return { ok: false, reason: found.reason };
    }
    if (hint.community) {
      const found = await this.places.community(hint);
      if (found.ok) return found.value.code;
    }
    return contextCode ?? null;
  }

  private async lookup(parsed: ParsedOrgName, divisionCode: string | null): Promise<PartyOrganization | null> {
    // A company's branch is one organization city-wide; anything else is named within its community.
    const scoped = parsed.company === undefined;
    const cacheKey = scoped ? `${divisionCode ?? '*'}|${parsed.coreKey}` : parsed.coreKey;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const read = this.named.get(parsed.coreKey);
    const found = read ? read.find((o) => !scoped || o.divisionCode === divisionCode) ?? null : await this.manager.findOne(PartyOrganization, {
      where: scoped ? { nameKey: parsed.coreKey, divisionCode: divisionCode ?? IsNull() } : { nameKey: parsed.coreKey },
      order: { createdAt: 'ASC' },
    });
    if (found) {
      this.remember(found);
      return found;
    }
    // A name with characters lost to mis-decoding (��顺店社区党委) is the one organization it can still only be.
    if (isDamaged(parsed.coreKey) && scoped && divisionCode) {
      const pattern = damagedKeyPattern(parsed.coreKey);
      const candidates = (await this.manager.findBy(PartyOrganization, { divisionCode })).filter((o) => pattern.test(o.nameKey));
      if (candidates.length === 1) return candidates[0];
    }
    return null;
  }

  private remember(organization: PartyOrganization): void {
    this.byId.set(organization.id, organization);
    this.cache.set(cacheKeyOf(organization), organization);
  }
}

/** Where the directory's cache keeps an organization: a company's branch city-wide, any other within its community. */
function cacheKeyOf(organization: PartyOrganization): string {
  const scoped = !organization.nameKey.startsWith('co:');
  return scoped ? `${organization.divisionCode ?? '*'}|${organization.nameKey}` : organization.nameKey;
}

function appliedKey(claim: OrganizationClaim, origin: Origin): string {
  return `${origin.batchId}|${origin.source}|${JSON.stringify(claim)}`;
}

function typeOf(parsed: ParsedOrgName, isJoint: boolean): OrganizationType {
  if (isJoint) return 'joint';
  if (parsed.tags.includes('functional') && parsed.form === 'branch') return 'functional';
  switch (parsed.form) {
    case 'committee': return 'committee';
    case 'general_branch': return 'general_branch';
    case 'group': return 'group';
    default: return 'branch';
  }
}

/** An organization's fields as a create in the change feed shows them. */
export function organizationFeedFields(o: PartyOrganization): Record<string, unknown> {
  return { type: o.type, shortName: o.shortName, formalName: o.formalName, divisionCode: o.divisionCode, parentId: o.parentId, tags: o.tags };
}

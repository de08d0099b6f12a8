import { Injectable } from '@nestjs/common';
import { OrganizationType, PartyOrganization } from '@qc/database';
import { parseDate } from '@qc/fields';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession, Origin, PersonClaim, PersonFacts } from '@qc/registry';
import { In } from 'typeorm';
import { idConflictWarnings, readPerson } from './person-facts';
import { textOf } from './place-cells';
import { FieldProblem, MergeOutcome, ParseOutcome, RecordReference, SourceDefinition, StagedRecord } from './source-definition';

/** The retired app's system name in external references. */
const APP = 'S5';
// The app's orgType codes.
const ORG_TYPES: Record<string, OrganizationType> = { '611': 'committee', '621': 'general_branch', '631': 'branch', '641': 'group' };
// Its top-level organizations name their street as the parent: STREET150105001.
const STREET_PARENT = /^STREET(\d{9})$/;

/** An organization node of the retired app's export (S5). */
export interface AppOrganizationRecord {
  orgId: string;
  name: string;
  type: OrganizationType | null;
  parentOrgId: string | null;
}

/** A member of an organization node of the retired app's export (S5). */
export interface AppMemberRecord {
  orgId: string;
  userId: string | null;
  person: PersonFacts;
  joinedOn: string | null;
  isSecretary: boolean;
}

/**
 * S5 organizations. The stage emits parents before children, so a node's parent is already in
 * the registry, found through the app's own orgId.
 */
@Injectable()
export class AppOrganizationSource implements SourceDefinition<AppOrganizationRecord> {
  readonly layoutEntity = 'app-organization';
  readonly requiredFields = [] as const;

  sourceKind(): string {
    return APP;
  }

  async parse(cells: Record<string, CellValue>): Promise<ParseOutcome<AppOrganizationRecord>> {
    const orgId = textOf(cells.orgId);
    const name = textOf(cells.orgName);
    const problems: FieldProblem[] = [];
    if (!orgId) problems.push({ column: 'orgId', reason: because('organization-id-missing') });
    if (!name) problems.push({ column: 'orgName', reason: because('organization-no-name') });
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, record: { orgId: orgId!, name: name!, type: ORG_TYPES[textOf(cells.orgType) ?? ''] ?? null, parentOrgId: textOf(cells.parentOrgId) } };
  }

  async merge(records: StagedRecord<AppOrganizationRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    // Parents linked by earlier imports, read at once; a parent earlier in this run is the organization it became.
    const parentIds = await session.externalRefs(APP, 'organization', records.map((r) => (STREET_PARENT.test(r.payload.parentOrgId ?? '') ? null : r.payload.parentOrgId)));
    const parents = new Map((parentIds.size === 0 ? [] : await session.manager.findBy(PartyOrganization, { id: In([...new Set(parentIds.values())]) })).map((o) => [o.id, o]));
    await session.organizations.readAhead(records.map(({ payload }) => ({ name: payload.name, contextCommunityCode: parents.get(parentIds.get(payload.parentOrgId ?? '') ?? '')?.divisionCode ?? null })));
    const linked = new Map<string, PartyOrganization>();
    const links: [string, string][] = [];
    const outcomes: (MergeOutcome | FieldProblem)[] = [];
    for (const { id, payload } of records) {
      const origin: Origin = { sourceRecordId: id, batchId, source: sourceKind };
      const street = STREET_PARENT.exec(payload.parentOrgId ?? '');
      const inRun = payload.parentOrgId && !street ? linked.get(payload.parentOrgId) : undefined;
      const parentId = inRun?.id ?? (payload.parentOrgId && !street ? parentIds.get(payload.parentOrgId) ?? null : null);
      // The organization as it stands now: the directory's copy when this run resolved it (and may have changed it).
      const parent = parentId ? session.organizations.resolvedInThisMerge(parentId) ?? parents.get(parentId) ?? null : null;
      const streetDivision = street ? await session.places.division(`${street[1]}000`) : null;
      const found = await session.organizations.resolve({
        name: payload.name, type: payload.type, parentId, contextCommunityCode: parent?.divisionCode ?? null,
        hint: streetDivision ? { subdistrict: streetDivision.name } : undefined,
      }, origin);
      if (!found.ok) {
        outcomes.push({ column: 'orgName', reason: found.reason });
        continue;
      }
      linked.set(payload.orgId, found.organization);
      links.push([payload.orgId, found.organization.id]);
      const references: RecordReference[] = parentId ? [{ role: 'parent', entityType: 'organization', entityId: parentId, method: 'external-id' }] : [];
      outcomes.push({ entityType: 'organization', entityId: found.organization.id, outcome: found.outcome, method: found.method, references });
    }
    await session.linkExternals(APP, 'organization', links);
    return outcomes;
  }
}

/** S5 members: masked IDs and phones are evidence; the app's userId finds the person again in a later export. */
@Injectable()
export class AppMemberSource implements SourceDefinition<AppMemberRecord> {
  readonly layoutEntity = 'app-member';
  readonly requiredFields = [] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(): string {
    return APP;
  }

  async parse(cells: Record<string, CellValue>): Promise<ParseOutcome<AppMemberRecord>> {
    const read = readPerson({ name: cells.realName, gender: cells.sex, phone: cells.mobile, idNumber: cells.idCard }, this.cipher, (f) => ({ name: 'realName', gender: 'sex', phone: 'mobile', idNumber: 'idCard' })[f as string] ?? f);
    if (!read.ok) return read;
    const joined = parseDate(cells.joinTime);
    return {
      ok: true,
      record: {
        orgId: textOf(cells.orgId) ?? '', userId: textOf(cells.userId), person: read.facts,
        joinedOn: joined.ok && joined.value.precision === 'day' ? joined.value.iso : null, isSecretary: cells.isSecretary === true,
      },
      warnings: read.warnings,
    };
  }

  async merge(records: StagedRecord<AppMemberRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    const organizationOf = await session.externalRefs(APP, 'organization', records.map((r) => r.payload.orgId));
    // A userId seen in an earlier export is the same person, whatever the matcher would say now.
    const personOf = await session.externalRefs(APP, 'person', records.map((r) => r.payload.userId));
    const organizationIds = records.map((r) => organizationOf.get(r.payload.orgId) ?? null);
    const claims: PersonClaim[] = records.map(({ id, payload, rowHash }, i) => (
      { facts: payload.person, organizationId: organizationIds[i], joinedOn: payload.joinedOn, recordKey: rowHash, origin: { sourceRecordId: id, batchId, source: sourceKind } }));
    const known = records.map(({ payload }) => (payload.userId ? personOf.get(payload.userId) ?? null : null));
    const resolved = await session.persons.resolveMany(claims.filter((_, i) => !known[i]));
    let next = 0;
    const links: [string, string][] = [];
    const outcomes: MergeOutcome[] = [];
    for (let i = 0; i < records.length; i++) {
      const { payload } = records[i];
      const person = known[i] ? { personId: known[i]!, outcome: 'unchanged' as const, method: 'external-id', score: null, review: false } : resolved[next++];
      if (payload.userId) links.push([payload.userId, person.personId]);
      const references: RecordReference[] = [];
      const organizationId = organizationIds[i];
      if (organizationId) {
        session.memberships.claim(person.personId, organizationId, { category: null, status: 'current', joinedOn: payload.joinedOn, joinedPrecision: payload.joinedOn ? 'day' : null, regularizedOn: null }, claims[i].origin);
        references.push({ role: 'organization', entityType: 'organization', entityId: organizationId, method: 'external-id' });
        if (payload.isSecretary) await session.roles.assign(person.personId, 'secretary', { organizationId }, claims[i].origin);
      }
      outcomes.push({ entityType: 'person', entityId: person.personId, outcome: person.outcome, method: person.method, score: person.score, review: person.review, references, warnings: idConflictWarnings('idConflict' in person ? person.idConflict : undefined) });
    }
    await session.linkExternals(APP, 'person', links);
    return outcomes;
  }
}

import { Injectable } from '@nestjs/common';
import { OrganizationType, Role } from '@qc/database';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession, PersonFacts } from '@qc/registry';
import { readPerson } from './person-facts';
import { textOf } from './place-cells';
import { mergeCentralHousehold, prepareRoleHolders, resolveRoleHolder } from './role-holder';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** A row of an S3 ledger's 组织架构: an organization with its leader, or a party-member central household. */
export interface OrgStructureRecord {
  kind: 'organization' | 'central-household';
  name: string;
  type: OrganizationType | null;
  parent: string | null;
  leader: PersonFacts | null;
  ledger: string;
}

// 组织层级 words → organization type; 党员中心户 rows describe a person, not an organization.
const LEVELS: ReadonlyArray<readonly [RegExp, OrganizationType | 'central-household']> = [
  [/中心户/, 'central-household'],
  [/联合/, 'joint'],
  [/功能/, 'functional'],
  [/小组/, 'group'],
  [/总支/, 'general_branch'],
  [/党委|委员会/, 'committee'],
  [/支部/, 'branch'],
];

// 党员中心户（杨丽君）, 党员中心户(杨丽君户), 杨丽君党员中心户, 杨丽君家党员中心户.
const HOUSEHOLDER_IN_NAME = /中心户[(（]([^()（）]+?)[户家]?[)）]$|^([^()（）]{2,}?)[户家]?党员中心户$/;

@Injectable()
export class OrgStructureSource implements SourceDefinition<OrgStructureRecord> {
  readonly layoutEntity = 'org-structure';
  readonly requiredFields = ['orgName'] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(): string {
    return 'S3';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<OrgStructureRecord>> {
    const name = textOf(cells.orgName);
    if (!name) return { ok: false, problems: [{ column: sheet.headers.orgName ?? 'orgName', reason: because('organization-name-missing') }] };
    const level = textOf(cells.level) ?? '';
    const matched = LEVELS.find(([re]) => re.test(level))?.[1] ?? (/中心户/.test(name) ? 'central-household' : null);
    let leader: PersonFacts | null = null;
    // A household row may name its householder only in the organization name: 党员中心户（杨丽君）.
    const householder = matched === 'central-household' && !textOf(cells.leader) ? HOUSEHOLDER_IN_NAME.exec(name.replace(/\s+/g, '')) : null;
    const leaderName = householder ? householder[1] ?? householder[2] : cells.leader;
    let warnings: FieldProblem[] = [];
    if (householder || textOf(cells.leader)) {
      const read = readPerson({ name: leaderName, phone: cells.leaderPhone }, this.cipher, (f) => sheet.headers[f === 'name' ? (householder ? 'orgName' : 'leader') : 'leaderPhone'] ?? f);
      if (!read.ok) return read;
      ({ facts: leader, warnings } = read);
    }
    if (matched === 'central-household' && !leader) {
      return { ok: false, problems: [{ column: sheet.headers.leader ?? 'leader', reason: because('householder-missing') }] };
    }
    return {
      ok: true,
      record: {
        kind: matched === 'central-household' ? 'central-household' : 'organization',
        name, type: matched === 'central-household' ? null : matched, parent: textOf(cells.parentOrg), leader, ledger: sheet.titles.join(' '),
      },
      warnings,
    };
  }

  async merge(records: StagedRecord<OrgStructureRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    // The first record asks for its ledger's community first anyway; a run is one ledger's sheet.
    const community = records.length > 0 ? await session.places.ledgerCommunity(records[0].payload.ledger) : null;
    await session.places.readPlaces(community ? [community] : []);
    await session.organizations.readAhead(records.flatMap(({ payload }) => [{ name: payload.name, contextCommunityCode: community }, { name: payload.parent, contextCommunityCode: community }]));
    await prepareRoleHolders(session, records.map((r) => r.payload.leader), [community]);
    return mergeEach(records, batchId, sourceKind, async ({ payload, rowHash }, origin) => {
      const community = await session.places.ledgerCommunity(payload.ledger);
      // Parents are listed above their children; a parent outside the community (the street's 党工委) stays unset.
      const parent = payload.parent ? await session.organizations.find(payload.parent, community) : null;
      const references: RecordReference[] = [];
      if (parent) references.push({ role: 'parent', entityType: 'organization', entityId: parent.id, method: 'name' });
      if (payload.kind === 'central-household') {
        return mergeCentralHousehold(session, {
          facts: payload.leader!, scope: { organizationId: parent?.id, communityCode: community },
          at: { organizationId: parent?.id ?? null, divisionCode: community }, recordKey: rowHash, origin, references,
        });
      }
      const found = await session.organizations.resolve({ name: payload.name, contextCommunityCode: community, type: payload.type, parentId: parent?.id ?? null }, origin);
      if (!found.ok) {
        return { column: 'orgName', reason: found.reason };
      }
      const organization = found.organization;
      let review = false;
      if (payload.leader) {
        const role: Role = organization.type === 'group' ? 'group_leader' : 'secretary';
        const leader = await resolveRoleHolder(session, {
          facts: payload.leader, role, label: `the ${role === 'secretary' ? 'secretary (书记)' : 'group leader (组长)'} of ${organization.shortName}`,
          scope: { organizationId: organization.id, communityCode: organization.divisionCode ?? community }, recordKey: rowHash, origin, createWhenUnknown: true,
        });
        if (leader.personId) {
          await session.roles.assign(leader.personId, role, { organizationId: organization.id, divisionCode: organization.divisionCode }, origin);
          references.push({ role, entityType: 'person', entityId: leader.personId, method: leader.method });
        }
        review = leader.review;
      }
      return { entityType: 'organization', entityId: organization.id, outcome: found.outcome, method: found.method, references, review };
    });
  }
}

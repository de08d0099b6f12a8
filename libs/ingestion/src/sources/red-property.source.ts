import { Injectable } from '@nestjs/common';
import { firstDay, parseCreditCode, parseDate } from '@qc/fields';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession } from '@qc/registry';
import { textOf } from './place-cells';
import { nameOnly, prepareRoleHolders, resolveRoleHolder } from './role-holder';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** A row of S4, the red-property ledger: a property company's party branch, the compounds it serves, its joint organization. */
export interface RedPropertyRecord {
  companyName: string;
  creditCode: string | null;
  orgName: string | null;
  secretary: string | null;
  compounds: string[];
  community: string | null;
  subdistrict: string | null;
  district: string | null;
  foundedOn: string | null;
  foundedPrecision: 'day' | 'month' | 'year' | null;
  jointOrgName: string | null;
}

@Injectable()
export class RedPropertySource implements SourceDefinition<RedPropertyRecord> {
  readonly layoutEntity = 'red-property';
  readonly requiredFields = ['companyName'] as const;

  sourceKind(): string {
    return 'S4';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<RedPropertyRecord>> {
    const problems: FieldProblem[] = [];
    const companyName = textOf(cells.companyName);
    if (!companyName) problems.push({ column: sheet.headers.companyName ?? 'companyName', reason: because('company-name-missing') });
    let creditCode: string | null = null;
    if (textOf(cells.creditCode)) {
      const parsed = parseCreditCode(cells.creditCode);
      if (parsed.ok) creditCode = parsed.value;
      else problems.push({ column: sheet.headers.creditCode ?? 'creditCode', reason: parsed.reason });
    }
    if (problems.length > 0) return { ok: false, problems };
    const founded = parseDate(cells.foundedDate);
    return {
      ok: true,
      record: {
        companyName: companyName!, creditCode, orgName: textOf(cells.orgName), secretary: textOf(cells.secretary),
        compounds: (textOf(cells.servedCompounds) ?? '').split(/[、,，;；/]+/).map((s) => s.trim()).filter(Boolean),
        community: textOf(cells.community), subdistrict: textOf(cells.subdistrict), district: textOf(cells.district),
        foundedOn: founded.ok ? firstDay(founded.value) : null,
        foundedPrecision: founded.ok ? founded.value.precision : null,
        jointOrgName: textOf(cells.jointOrgName),
      },
    };
  }

  async merge(records: StagedRecord<RedPropertyRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    const communities = await Promise.all(records.map(({ payload }) => session.places.communitiesNamed({ community: payload.community, subdistrict: payload.subdistrict, district: payload.district })));
    await prepareRoleHolders(session, records.map(({ payload }) => (payload.secretary ? nameOnly(payload.secretary) : null)), communities.flat());
    return mergeEach(records, batchId, sourceKind, async ({ payload, rowHash }, origin) => {
      const hint = { community: payload.community, subdistrict: payload.subdistrict, district: payload.district };
      const community = await session.places.community(hint);
      if (!community.ok) {
        return { column: 'community', reason: community.reason };
      }
      const code = community.value.code;
      const { company, method } = await session.companies.resolve({ name: payload.companyName, creditCode: payload.creditCode }, origin);
      const references: RecordReference[] = [
        { role: 'company', entityType: 'property_company', entityId: company.id, method },
        { role: 'community', entityType: 'division', entityId: code, method: 'name' },
      ];
      const compounds = [];
      for (const name of payload.compounds) {
        const compound = await session.places.compound(code, name, origin);
        if (compound) {
          compounds.push(compound);
          references.push({ role: 'compound', entityType: 'compound', entityId: compound.id, method: 'name' });
        }
      }
      // The branch is the company's: its own name may be any variant, so the company's name identifies it.
      const branch = await session.organizations.resolve({
        name: payload.orgName && /物业|公司/.test(payload.orgName) ? payload.orgName : `${company.name}党支部`,
        contextCommunityCode: code, hint, tags: ['red-property'], propertyCompanyId: company.id, compoundId: compounds[0]?.id ?? null,
        foundedOn: payload.foundedOn, foundedPrecision: payload.foundedPrecision,
      }, origin);
      if (!branch.ok) {
        return { column: 'orgName', reason: branch.reason };
      }
      if (payload.jointOrgName) {
        const joint = await session.organizations.resolve({ name: payload.jointOrgName, contextCommunityCode: code, type: 'joint', compoundId: compounds[0]?.id ?? null }, origin);
        if (joint.ok) {
          references.push({ role: 'joint', entityType: 'organization', entityId: joint.organization.id, method: joint.method });
          await session.joints.join(joint.organization.id, branch.organization.id, origin);
        }
      }
      let review = false;
      if (payload.secretary) {
        const organization = branch.organization;
        // The ledger gives the secretary's name only: the branch's own member of that name, or no one.
        const secretary = await resolveRoleHolder(session, {
          facts: nameOnly(payload.secretary), role: 'secretary', label: `the secretary (书记) of ${organization.shortName}`,
          scope: { organizationId: organization.id, communityCode: code }, recordKey: rowHash, origin, createWhenUnknown: false,
        });
        if (secretary.personId) {
          await session.roles.assign(secretary.personId, 'secretary', { organizationId: organization.id, divisionCode: organization.divisionCode }, origin);
          references.push({ role: 'secretary', entityType: 'person', entityId: secretary.personId, method: secretary.method });
        }
        review = secretary.review;
      }
      return { entityType: 'organization', entityId: branch.organization.id, outcome: branch.outcome, method: branch.method, references, review };
    });
  }
}

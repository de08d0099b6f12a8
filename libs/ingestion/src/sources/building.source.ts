import { Injectable } from '@nestjs/common';
import { parseBuilding } from '@qc/fields';
import { parseGridName } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession, PersonFacts } from '@qc/registry';
import { readPerson } from './person-facts';
import { prepareRoleHolders, resolveRoleHolder } from './role-holder';
import { countOf, textOf } from './place-cells';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** S2's 楼栋 sheet: a building of a compound, its building lead and its building party group. */
export interface BuildingRecord {
  compound: string;
  numberKey: string;
  label: string;
  units: number | null;
  households: number | null;
  community: string | null;
  grid: number | null;
  lead: PersonFacts | null;
  leadIsMember: boolean | null;
  group: string | null;
}

@Injectable()
export class BuildingSource implements SourceDefinition<BuildingRecord> {
  readonly layoutEntity = 'building';
  readonly requiredFields = ['compound', 'buildingNo', 'community'] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(): string {
    return 'S2';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<BuildingRecord>> {
    const problems: FieldProblem[] = [];
    const compound = textOf(cells.compound);
    if (!compound) problems.push({ column: sheet.headers.compound ?? 'compound', reason: because('compound-missing') });
    const building = parseBuilding(cells.buildingNo);
    if (!building.ok) problems.push({ column: sheet.headers.buildingNo ?? 'buildingNo', reason: building.reason });
    let lead: PersonFacts | null = null;
    let warnings: FieldProblem[] = [];
    if (textOf(cells.buildingLead)) {
      const read = readPerson({ name: cells.buildingLead, phone: cells.buildingLeadPhone }, this.cipher, (f) => sheet.headers[f === 'name' ? 'buildingLead' : 'buildingLeadPhone'] ?? f);
      if (!read.ok) problems.push(...read.problems);
      else ({ facts: lead, warnings } = read);
    }
    if (problems.length > 0 || !building.ok) return { ok: false, problems };
    const member = textOf(cells.leadIsMember);
    return {
      ok: true,
      record: {
        compound: compound!, numberKey: building.value.key, label: building.value.label,
        units: countOf(cells.unitCount), households: countOf(cells.householdCount), community: textOf(cells.community),
        grid: parseGridName(textOf(cells.grid)).number, lead, leadIsMember: member ? /^(是|党员|Y|YES|1|√)$/i.test(member) : null,
        group: textOf(cells.buildingGroup),
      },
      warnings,
    };
  }

  async merge(records: StagedRecord<BuildingRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    // The run's places and role holders read at once, not one look-up per record.
    const communities = (await Promise.all([...new Set(records.map((r) => r.payload.community))].map((community) => session.places.communitiesNamed({ community })))).flat();
    await session.places.readPlaces(communities);
    await session.organizations.readAhead(records.map(({ payload }) => ({ name: payload.group, contextCommunityCode: communities.length === 1 ? communities[0] : null })));
    await prepareRoleHolders(session, records.map((r) => r.payload.lead), communities);
    return mergeEach(records, batchId, sourceKind, async ({ payload, rowHash }, origin) => {
      const community = await session.places.community({ community: payload.community });
      if (!community.ok) {
        return { column: 'community', reason: community.reason };
      }
      const code = community.value.code;
      const compound = await session.places.compound(code, payload.compound, origin);
      if (!compound) {
        return { column: 'compound', reason: because('compound-unnamed', { name: payload.compound }) };
      }
      const grid = payload.grid ? await session.places.grid(code, payload.grid, {}, origin) : null;
      const { building, created, updated } = await session.places.building(compound, payload.numberKey, payload.label, { gridId: grid?.id ?? null, units: payload.units, households: payload.households }, origin);
      const references: RecordReference[] = [
        { role: 'community', entityType: 'division', entityId: code, method: 'name' },
        { role: 'compound', entityType: 'compound', entityId: compound.id, method: 'name' },
      ];
      if (grid) references.push({ role: 'grid', entityType: 'grid', entityId: grid.id, method: 'name' });
      if (payload.group) {
        const group = await session.organizations.resolve({ name: payload.group, contextCommunityCode: code, type: 'group', buildingId: building.id, compoundId: compound.id }, origin);
        if (group.ok) references.push({ role: 'organization', entityType: 'organization', entityId: group.organization.id, method: group.method });
      }
      let review = false;
      if (payload.lead) {
        const lead = await resolveRoleHolder(session, {
          facts: payload.lead, role: 'building_lead', label: `the building lead (楼栋长) of ${payload.compound}${payload.label}`,
          scope: { communityCode: code }, place: { compound: payload.compound, buildingKey: payload.numberKey }, recordKey: rowHash, origin, createWhenUnknown: true,
        });
        if (lead.personId) {
          await session.roles.assign(lead.personId, 'building_lead', { buildingId: building.id, compoundId: compound.id, gridId: grid?.id ?? null, divisionCode: code }, origin);
          references.push({ role: 'building_lead', entityType: 'person', entityId: lead.personId, method: lead.method });
        }
        review = lead.review;
      }
      return { entityType: 'building', entityId: building.id, outcome: created ? 'created' : updated ? 'updated' : 'unchanged', method: created ? 'created' : 'name', references, review };
    });
  }
}

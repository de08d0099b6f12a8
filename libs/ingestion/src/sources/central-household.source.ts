import { Injectable } from '@nestjs/common';
import { parseAddress } from '@qc/fields';
import { parseGridName } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { MergeSession, PersonFacts } from '@qc/registry';
import { readPerson } from './person-facts';
import { countOf, textOf } from './place-cells';
import { mergeCentralHousehold, prepareRoleHolders } from './role-holder';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** S2's 党员中心户 sheet: a member's household that neighbours turn to. */
export interface CentralHouseholdRecord {
  householder: PersonFacts;
  address: string | null;
  compound: string | null;
  buildingKey: string | null;
  unit: number | null;
  community: string | null;
  grid: number | null;
  contactHouseholds: number | null;
}

@Injectable()
export class CentralHouseholdSource implements SourceDefinition<CentralHouseholdRecord> {
  readonly layoutEntity = 'central-household';
  readonly requiredFields = ['householder', 'community'] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(): string {
    return 'S2';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<CentralHouseholdRecord>> {
    const read = readPerson({ name: cells.householder, phone: cells.phone }, this.cipher, (f) => sheet.headers[f === 'name' ? 'householder' : f] ?? f);
    if (!read.ok) return read;
    const address = parseAddress(cells.address);
    return {
      ok: true,
      record: {
        householder: { ...read.facts, residence: textOf(cells.address) },
        address: textOf(cells.address),
        compound: address.ok ? address.value.compound : null,
        buildingKey: address.ok ? address.value.building?.key ?? null : null,
        unit: address.ok ? address.value.unit ?? null : null,
        community: textOf(cells.community),
        grid: parseGridName(textOf(cells.grid)).number,
        contactHouseholds: countOf(cells.contactHouseholds),
      },
      warnings: read.warnings,
    };
  }

  async merge(records: StagedRecord<CentralHouseholdRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    // The run's places and householders read at once, not one look-up per record.
    const communities = (await Promise.all([...new Set(records.map((r) => r.payload.community))].map((community) => session.places.communitiesNamed({ community })))).flat();
    await session.places.readPlaces(communities);
    await prepareRoleHolders(session, records.map((r) => r.payload.householder), communities);
    return mergeEach(records, batchId, sourceKind, async ({ payload, rowHash }, origin) => {
      const community = await session.places.community({ community: payload.community });
      if (!community.ok) {
        return { column: 'community', reason: community.reason };
      }
      const code = community.value.code;
      const references: RecordReference[] = [{ role: 'community', entityType: 'division', entityId: code, method: 'name' }];
      // An address points at places the building sheet lists; it does not create them.
      const compound = payload.compound ? await session.places.findCompound(code, payload.compound) : null;
      const building = compound && payload.buildingKey ? await session.places.findBuilding(compound.id, payload.buildingKey) : null;
      const grid = payload.grid ? await session.places.grid(code, payload.grid, {}, origin) : null;
      if (building) references.push({ role: 'building', entityType: 'building', entityId: building.id, method: 'address' });
      return mergeCentralHousehold(session, {
        facts: payload.householder, scope: { communityCode: code }, place: { compound: payload.compound, buildingKey: payload.buildingKey },
        at: { divisionCode: code, gridId: grid?.id ?? null, compoundId: compound?.id ?? null, buildingId: building?.id ?? null, unit: payload.unit, address: payload.address },
        recordKey: rowHash, origin, references,
      });
    });
  }
}

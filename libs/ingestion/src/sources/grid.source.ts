import { Injectable } from '@nestjs/common';
import { parseGridName } from '@qc/naming';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession, PersonFacts } from '@qc/registry';
import { readPerson } from './person-facts';
import { countOf, textOf } from './place-cells';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** S2's 网格 sheet: a grid, its grid worker and its grid branch. */
export interface GridRecord {
  gridCode: string | null;
  gridName: string | null;
  number: number;
  community: string | null;
  subdistrict: string | null;
  worker: PersonFacts | null;
  branch: string | null;
}

@Injectable()
export class GridSource implements SourceDefinition<GridRecord> {
  readonly layoutEntity = 'grid';
  readonly requiredFields = ['community|gridCode'] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(): string {
    return 'S2';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<GridRecord>> {
    const gridCode = textOf(cells.gridCode);
    const gridName = textOf(cells.gridName);
    const number = parseGridName(gridName).number ?? parseGridName(gridCode).number;
    if (!number) return { ok: false, problems: [{ column: sheet.headers.gridName ?? sheet.headers.gridCode ?? 'gridName', reason: because('grid-number-unreadable', { value: gridName ?? gridCode ?? '' }) }] };
    let worker: PersonFacts | null = null;
    let warnings: FieldProblem[] = [];
    if (textOf(cells.gridWorker)) {
      const read = readPerson({ name: cells.gridWorker, phone: cells.gridWorkerPhone }, this.cipher, (f) => sheet.headers[f === 'name' ? 'gridWorker' : 'gridWorkerPhone'] ?? f);
      if (!read.ok) return read;
      ({ facts: worker, warnings } = read);
    }
    return {
      ok: true,
      record: { gridCode, gridName, number, community: textOf(cells.community), subdistrict: textOf(cells.subdistrict), worker, branch: textOf(cells.gridBranch) },
      warnings,
    };
  }

  async merge(records: StagedRecord<GridRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    // The run's grids read at once, not one look-up per record.
    const named = await Promise.all(records.map(({ payload }) => session.places.communitiesNamed({ community: payload.community, subdistrict: payload.subdistrict })));
    const coded = records.map(({ payload }) => parseGridName(payload.gridCode).communityCode);
    await session.places.readPlaces([...named.flat(), ...coded.filter((c): c is string => !!c)]);
    await session.organizations.readAhead(records.map(({ payload }, i) => ({ name: payload.branch, contextCommunityCode: coded[i] ?? (named[i].length === 1 ? named[i][0] : null) })));
    return mergeEach(records, batchId, sourceKind, async ({ payload, rowHash }, origin) => {
      const codeCommunity = parseGridName(payload.gridCode).communityCode;
      const byCode = codeCommunity ? await session.places.division(codeCommunity) : null;
      const community = byCode?.level === 'community' ? { ok: true as const, value: byCode } : await session.places.community({ community: payload.community, subdistrict: payload.subdistrict });
      if (!community.ok) {
        return { column: 'community', reason: community.reason };
      }
      if (byCode) await session.places.noteName(payload.community, byCode);
      const code = community.value.code;
      const before = await session.places.findGrid(code, payload.number);
      const grid = await session.places.grid(code, payload.number, { code: payload.gridCode, name: payload.gridName }, origin);
      const references: RecordReference[] = [{ role: 'community', entityType: 'division', entityId: code, method: byCode ? 'code' : 'name' }];
      if (payload.branch) {
        const branch = await session.organizations.resolve({ name: payload.branch, contextCommunityCode: code }, origin);
        if (branch.ok) references.push({ role: 'organization', entityType: 'organization', entityId: branch.organization.id, method: branch.method });
      }
      let review = false;
      if (payload.worker) {
        const [worker] = await session.persons.resolveMany([{ facts: payload.worker, communityCode: code, recordKey: rowHash, origin }]);
        await session.roles.assign(worker.personId, 'grid_worker', { gridId: grid.id, divisionCode: code }, origin);
        references.push({ role: 'grid_worker', entityType: 'person', entityId: worker.personId, method: worker.method });
        review = worker.review;
      }
      return { entityType: 'grid', entityId: grid.id, outcome: before ? 'unchanged' : 'created', method: before ? (payload.gridCode ? 'code' : 'name') : 'created', references, review };
    });
  }
}

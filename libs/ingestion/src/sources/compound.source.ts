import { Injectable } from '@nestjs/common';
import { parseDate } from '@qc/fields';
import { parseGridName } from '@qc/naming';
import { CellValue } from '@qc/readers';
import { because } from '@qc/reasons';
import { MergeSession } from '@qc/registry';
import { countOf, textOf } from './place-cells';
import { FieldProblem, mergeEach, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** A row of a compound list (S2's 小区 / 小区信息): a compound of a community and the property company serving it. */
export interface CompoundRecord {
  name: string;
  address: string | null;
  propertyCompany: string | null;
  community: string | null;
  subdistrict: string | null;
  district: string | null;
  buildingCount: number | null;
  households: number | null;
  builtYear: number | null;
  grid: number | null;
}

// What a 物业公司 cell holds when no company serves the compound (self-managed, none yet).
const NO_COMPANY = /^(?:无|暂无|没有|无物业|自管|居民自管|业主自管|社区代管|-+|—+|\/)$/;
const EARLIEST_BUILT = 1900;

@Injectable()
export class CompoundSource implements SourceDefinition<CompoundRecord> {
  readonly layoutEntity = 'compound';
  readonly requiredFields = ['compoundName', 'community'] as const;

  sourceKind(): string {
    return 'S2';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<CompoundRecord>> {
    const name = textOf(cells.compoundName);
    if (!name) return { ok: false, problems: [{ column: sheet.headers.compoundName ?? 'compoundName', reason: because('compound-name-missing') }] };
    const built = textOf(cells.builtYear);
    const builtYear = builtYearOf(cells.builtYear);
    if (built && builtYear === null) {
      return { ok: false, problems: [{ column: sheet.headers.builtYear ?? 'builtYear', reason: because('built-year-invalid', { value: built }) }] };
    }
    const company = textOf(cells.propertyCompany);
    return {
      ok: true,
      record: {
        name, address: textOf(cells.address), propertyCompany: company && !NO_COMPANY.test(company.replace(/\s+/g, '')) ? company : null,
        community: textOf(cells.community), subdistrict: textOf(cells.subdistrict), district: textOf(cells.district),
        buildingCount: countOf(cells.buildingCount), households: countOf(cells.householdCount), builtYear,
        grid: parseGridName(textOf(cells.grid)).number,
      },
    };
  }

  merge(records: StagedRecord<CompoundRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    return mergeEach(records, batchId, sourceKind, async ({ payload }, origin) => {
      const community = await session.places.community({ community: payload.community, subdistrict: payload.subdistrict, district: payload.district });
      if (!community.ok) return { column: 'community', reason: community.reason };
      const code = community.value.code;
      const references: RecordReference[] = [{ role: 'community', entityType: 'division', entityId: code, method: 'name' }];
      // The company is the one the red-property ledger knows, by its name's core (日富物业 = 呼和浩特市日富物业服务有限责任公司); it gets no party branch from here.
      const company = payload.propertyCompany ? await session.companies.resolve({ name: payload.propertyCompany, creditCode: null }, origin) : null;
      if (company) references.push({ role: 'company', entityType: 'property_company', entityId: company.company.id, method: company.method });
      const described = await session.places.describeCompound(code, payload.name, {
        address: payload.address, builtYear: payload.builtYear, buildingCount: payload.buildingCount, households: payload.households,
        propertyCompanyId: company?.company.id ?? null,
      }, origin);
      if (!described) return { column: 'compoundName', reason: because('compound-unnamed', { name: payload.name }) };
      if (payload.grid) {
        const grid = await session.places.grid(code, payload.grid, {}, origin);
        references.push({ role: 'grid', entityType: 'grid', entityId: grid.id, method: 'name' });
      }
      const { compound, created, updated } = described;
      return { entityType: 'compound', entityId: compound.id, outcome: created ? 'created' : updated ? 'updated' : 'unchanged', method: created ? 'created' : 'name', references };
    });
  }
}

/** 1990, '1990', '1990年', '1990-05', '2003年建成' → the year; null when no plausible year. */
function builtYearOf(cell: CellValue | undefined): number | null {
  if (typeof cell === 'number') return plausibleYear(cell);
  const text = textOf(cell);
  if (!text) return null;
  const date = parseDate(text);
  if (date.ok) return plausibleYear(date.value.year);
  const year = /(?:^|\D)(\d{4})年?(?:\D|$)/.exec(text);
  return year ? plausibleYear(Number(year[1])) : null;
}

function plausibleYear(year: number): number | null {
  return Number.isInteger(year) && year >= EARLIEST_BUILT && year <= new Date().getFullYear() ? year : null;
}

/**
 * The measures of issue 15 for a drifted city (npm run eval -- --drift): what was lost, rejected and merged,
 * every entity's F1, the communities that show exactly the truth's figures, and the columns each sheet ignored.
 */
import { normalizeText } from '@qc/layout';
import { DataSource } from 'typeorm';
import type { ColumnsTruth } from '../generate/drift/truth';
import { StatsComparison, StatsMismatch } from './division-stats';
import { Measurement } from './measure';
import { PairwiseCounts, pairwiseCounts, PredictedRow, TruthRow } from './pairwise';
import { recordKey, TruthRecord } from './truth';

/** Per file, per sheet as the import named it, the header the file used for each field (import_batch.columns). */
export type UsedColumns = Map<string, Record<string, Record<string, string>> | null>;

export interface IgnoredColumns {
  file: string;
  sheet: string;
  /** The sheet's columns nothing was read from; field null: a column of no use, as it should be. */
  ignored: { header: string; field: string | null }[];
  /** The import has no columns for this sheet: it was skipped, refused, or the file was. */
  sheetUnread: boolean;
}

export interface DriftReport {
  validRows: number;
  /** Valid rows the pipeline has no record of, or staged as blank: they count nowhere. */
  validLost: number;
  validRejected: number;
  validRejectedShare: number | null;
  nobodyRows: number;
  nobodyRejected: number;
  person: { precision: number | null; recall: number | null };
  /** F1 of every entity but persons and divisions (places with their mentions), of central households and of property companies. */
  f1: Record<string, number | null>;
  hardNegativeMerges: number;
  communities: { compared: number; exact: number; differing: { code: string; name: string; figures: Omit<StatsMismatch, 'code' | 'name'>[] }[] } | null;
  redPropertyBranches: { truth: number | null; registry: number | null };
  columns: IgnoredColumns[];
}

const sameHeader = (used: string, written: string) => {
  const u = normalizeText(used);
  const w = normalizeText(written);
  // two-row headers are reported as "group/header"
  return u === w || u.endsWith(`/${w}`);
};

/** Compares the columns each drifted sheet was written with to the headers the import used. */
export function ignoredColumns(truth: ColumnsTruth, used: UsedColumns): IgnoredColumns[] {
  const out: IgnoredColumns[] = [];
  for (const [file, sheets] of Object.entries(truth)) {
    const byImport = used.get(file) ?? null;
    for (const [sheet, columns] of Object.entries(sheets)) {
      // a CSV has one table, whatever name the import gives it
      const headers = byImport ? (sheet === '' ? Object.values(byImport)[0] : byImport[sheet]) : undefined;
      const usedHeaders = headers ? Object.values(headers) : [];
      out.push({
        file,
        sheet,
        ignored: columns.filter((c) => !usedHeaders.some((h) => sameHeader(h, c.header))),
        sheetUnread: headers === undefined,
      });
    }
  }
  return out;
}

function communityFigures(stats: StatsComparison | { skipped: string }, cityCode: string): DriftReport['communities'] {
  if ('skipped' in stats) return null;
  const byCode = new Map<string, { code: string; name: string; figures: Omit<StatsMismatch, 'code' | 'name'>[] }>();
  for (const { code, name, ...figure } of stats.mismatches) {
    if (code === cityCode) continue;
    if (!byCode.has(code)) byCode.set(code, { code, name, figures: [] });
    byCode.get(code)!.figures.push(figure);
  }
  return { compared: stats.communities, exact: stats.communities - byCode.size, differing: [...byCode.values()] };
}

/** What the columns of a truth row's sheet hold (truth/columns.json); empty for a file without columns (JSON). */
function rowFields(key: string, record: TruthRecord, columns: ColumnsTruth): Set<string | null> {
  const ref = key.slice(record.file.length + 1);
  const sheet = ref.includes('!') ? ref.slice(0, ref.lastIndexOf('!')) : '';
  return new Set((columns[record.file]?.[sheet] ?? []).map((c) => c.field));
}

export const PLACE_TYPES = ['building', 'compound', 'grid'] as const;
export type PlaceType = (typeof PLACE_TYPES)[number];

/**
 * The truth rows of places: each row whose subject is a place, and each mention of a place by a row about
 * something else (a building row names its compound and grid; a central household's row names its building),
 * keyed by the row and the role the registry links the mention under. A place spelled two ways that the
 * registry keeps apart costs recall here, though every place has but one row of its own.
 */
export function placeRows(
  truth: Map<string, TruthRecord>,
  columns: ColumnsTruth,
  buildings: Map<string, { compound: string; grid: string }>,
  centralBuildings: Map<string, string>,
): Record<PlaceType, TruthRow[]> {
  const rows: Record<PlaceType, TruthRow[]> = { building: [], compound: [], grid: [] };
  for (const [key, record] of truth) {
    if (!record.valid) continue;
    const fields = rowFields(key, record, columns);
    if ((PLACE_TYPES as readonly string[]).includes(record.entityType)) rows[record.entityType as PlaceType].push({ key, truthId: record.truthId });
    const places = record.entityType === 'building' && fields.has('buildingNo') ? buildings.get(record.truthId) : undefined;
    if (places) {
      rows.compound.push({ key: `${key}#compound`, truthId: places.compound });
      rows.grid.push({ key: `${key}#grid`, truthId: places.grid });
    }
    const building = record.entityType === 'person' && fields.has('householder') ? centralBuildings.get(record.truthId) : undefined;
    if (building) rows.building.push({ key: `${key}#building`, truthId: building });
  }
  return rows;
}

/** Pairwise counts of each place type over its rows and mentions, against the registry's subject and place links. */
export async function placeCounts(dataSource: DataSource, rows: Record<PlaceType, TruthRow[]>): Promise<Record<PlaceType, PairwiseCounts>> {
  const links: { fileName: string; recordRef: string; role: string; entityType: string; entityId: string }[] = await dataSource.query(
    `SELECT b.file_name AS "fileName", sr.record_ref AS "recordRef", l.role, l.entity_type AS "entityType", l.entity_id AS "entityId"
       FROM record_link_entry l JOIN source_record sr ON sr.id = l.source_record_id JOIN import_batch b ON b.id = sr.batch_id
      WHERE l.entity_type = ANY($1) AND l.role = ANY($2) ORDER BY l.source_record_id, l.role <> 'subject', l.role, l.entity_id`,
    [PLACE_TYPES, ['subject', ...PLACE_TYPES]],
  );
  const predicted: PredictedRow[] = links.map((l) => ({
    key: l.role === 'subject' ? recordKey(l.fileName, l.recordRef) : `${recordKey(l.fileName, l.recordRef)}#${l.role}`,
    predictedId: `${l.entityType}:${l.entityId}`,
  }));
  const counts = {} as Record<PlaceType, PairwiseCounts>;
  for (const type of PLACE_TYPES) counts[type] = await pairwiseCounts(rows[type], predicted);
  return counts;
}

export interface DriftInputs {
  measured: Measurement;
  /** Places over their rows and mentions (placeCounts); they stand in for the places' own rows alone. */
  places: Partial<Record<PlaceType, PairwiseCounts>>;
  stats: StatsComparison | { skipped: string };
  cityCode: string;
  companies: PairwiseCounts;
  redPropertyBranches: DriftReport['redPropertyBranches'];
  columns: IgnoredColumns[];
}

export function driftReport({ measured, places, stats, cityCode, companies, redPropertyBranches, columns }: DriftInputs): DriftReport {
  const types = Object.entries(measured.types);
  const validRows = types.reduce((n, [, t]) => n + t.rows, 0);
  const validRejected = measured.validRejected;
  const f1: Record<string, number | null> = {};
  for (const [type, t] of types) if (type !== 'person' && type !== 'division') f1[type] = t.f1;
  for (const [type, counts] of Object.entries(places)) f1[type] = counts.f1;
  for (const [name, counts] of Object.entries(measured.subsets)) f1[name] = counts.f1;
  f1['property company'] = companies.f1;
  const person = measured.types.person;
  return {
    validRows,
    validLost: types.reduce((n, [, t]) => n + t.notStaged + t.skipped, 0),
    validRejected,
    validRejectedShare: validRows > 0 ? validRejected / validRows : null,
    nobodyRows: measured.invalidRows,
    nobodyRejected: measured.invalidRejected,
    person: { precision: person?.precision ?? null, recall: person?.recall ?? null },
    f1,
    hardNegativeMerges: measured.hardNegativeViolations.length,
    communities: communityFigures(stats, cityCode),
    redPropertyBranches,
    columns,
  };
}

/**
 * The truth rows of property companies: each row of a red-property branch on a sheet that names its company
 * (a company name or credit code column). A branch listed where no company is named (the retired app's
 * organizations) is no mention of its company, so it is left out rather than counted as a company missed.
 */
export function companyRows(truth: Map<string, TruthRecord>, columns: ColumnsTruth, orgCompanies: Map<string, string>): TruthRow[] {
  const rows: TruthRow[] = [];
  for (const [key, record] of truth) {
    const company = record.valid && record.entityType === 'organization' ? orgCompanies.get(record.truthId) : undefined;
    if (!company) continue;
    const fields = rowFields(key, record, columns);
    if (fields.has('companyName') || fields.has('creditCode')) rows.push({ key, truthId: company });
  }
  return rows;
}

/**
 * Property companies, pairwise: each ledger row of a red-property branch names its company; the truth knows
 * which company that is, the registry says which entity it linked (role company).
 */
export async function companyCounts(dataSource: DataSource, truthRows: TruthRow[]): Promise<PairwiseCounts> {
  const links: { fileName: string; recordRef: string; entityId: string }[] = await dataSource.query(
    `SELECT b.file_name AS "fileName", sr.record_ref AS "recordRef", l.entity_id AS "entityId"
       FROM record_reference l JOIN source_record sr ON sr.id = l.source_record_id JOIN import_batch b ON b.id = sr.batch_id
      WHERE l.role = 'company' ORDER BY l.id`,
  );
  const predicted: PredictedRow[] = links.map((l) => ({ key: recordKey(l.fileName, l.recordRef), predictedId: l.entityId }));
  return pairwiseCounts(truthRows, predicted);
}

/** import_batch.columns of every batch, by file name (the last batch of a file wins). */
export async function usedColumns(dataSource: DataSource): Promise<UsedColumns> {
  const rows: { fileName: string; columns: Record<string, Record<string, string>> | null }[] = await dataSource.query(
    `SELECT file_name AS "fileName", columns FROM import_batch ORDER BY created_at`,
  );
  return new Map(rows.map((r) => [r.fileName, r.columns]));
}

const ratio = (value: number | null) => (value === null ? '–' : value.toFixed(4));
const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(2)}%`);

export function formatDriftReport(r: DriftReport): string[] {
  const lines = [
    '',
    'Drift: the goals of issue 15',
    `valid rows lost:             ${r.validLost} of ${r.validRows}  (goal 0)`,
    `valid rows rejected:         ${r.validRejected} (${percent(r.validRejectedShare)})  (goal ≤ 0.1%)`,
    `rows identifying nobody:     ${r.nobodyRejected} of ${r.nobodyRows} rejected  (goal all)`,
    `persons:                     P ${ratio(r.person.precision)}, R ${ratio(r.person.recall)}  (goal P ≥ 0.999, R ≥ 0.99)`,
    `F1 (goal ≥ 0.99):            ${Object.entries(r.f1).map(([type, f]) => `${type} ${ratio(f)}`).join(', ')}`,
    `hard-negative merges:        ${r.hardNegativeMerges}  (goal 0)`,
    r.communities
      ? `communities exactly right:   ${r.communities.exact} of ${r.communities.compared}`
      : 'communities exactly right:   n/a (the city has no stats.json)',
    ...(r.communities?.differing ?? []).map(
      (c) => `  ${c.name} ${c.code}: ${c.figures.map((f) => `${f.field} ${f.registry ?? 'none'} (truth ${f.truth})`).join(', ')}`,
    ),
    `red-property branches:       ${r.redPropertyBranches.registry ?? 'none'} (truth ${r.redPropertyBranches.truth ?? '–'})`,
    'columns ignored, per sheet (useful ones marked !):',
  ];
  for (const c of r.columns) {
    const what = c.sheetUnread
      ? 'sheet not read'
      : c.ignored.length === 0
        ? 'none'
        : c.ignored.map((col) => (col.field === null ? col.header : `!${col.header} (${col.field})`)).join(', ');
    lines.push(`  ${c.file}${c.sheet ? ` / ${c.sheet}` : ''}: ${what.replace(/\s+/g, ' ')}`);
  }
  return lines;
}

/** The ground truth beside a city's files (`DIR/truth/`, as etl/generate and the shared samples write it). */
import { parse } from 'csv-parse';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestFile } from '../generate';
import type { ColumnsTruth } from '../generate/drift/truth';

export interface Manifest {
  seed: string | number;
  /** Set by the generator's drift mode. */
  drift?: boolean;
  communities: number;
  members?: number;
  files: Pick<ManifestFile, 'file' | 'kind' | 'rows' | 'validRows'>[];
}

export interface TruthRecord { file: string; entityType: string; truthId: string; valid: boolean }

export interface TruthStats {
  communities: Record<string, Record<string, unknown>>;
  city: Record<string, unknown>;
}

/** Ground-truth entity type → the entity type the registry links records to. */
export const REGISTRY_TYPE_OF_TRUTH_TYPE: Record<string, string> = {
  division: 'division',
  person: 'person',
  organization: 'organization',
  grid: 'grid',
  building: 'building',
  compound: 'compound',
  'property-company': 'property_company',
};

export const registryTypeOf = (truthType: string): string => REGISTRY_TYPE_OF_TRUTH_TYPE[truthType] ?? truthType;

/** One key per data row of one file; the same on both sides of the comparison. */
export const recordKey = (file: string, recordRef: string): string => `${file}\u0000${recordRef}`;

async function* csvRows(path: string): AsyncIterable<Record<string, string>> {
  yield* createReadStream(path).pipe(parse({ columns: true, bom: true, skip_empty_lines: true }));
}

export function truthFolder(cityDir: string): string {
  const folder = join(cityDir, 'truth');
  for (const name of ['manifest.json', 'records.csv']) {
    if (!existsSync(join(folder, name))) throw new Error(`${cityDir} has no truth/${name}: not a city with ground truth`);
  }
  return folder;
}

export async function readManifest(truthDir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(truthDir, 'manifest.json'), 'utf8')) as Manifest;
}

/** records.csv as key → truth record. */
export async function readTruthRecords(truthDir: string): Promise<Map<string, TruthRecord>> {
  const records = new Map<string, TruthRecord>();
  for await (const row of csvRows(join(truthDir, 'records.csv'))) {
    records.set(recordKey(row.source_file, row.record_ref), {
      file: row.source_file, entityType: row.entity_type, truthId: row.truth_id, valid: row.valid === '1',
    });
  }
  return records;
}

/** Pairs of truth ids that must never end in one entity; none when the file is absent. */
export async function readHardNegatives(truthDir: string): Promise<[string, string][]> {
  const path = join(truthDir, 'hard-negatives.csv');
  if (!existsSync(path)) return [];
  const pairs: [string, string][] = [];
  for await (const row of csvRows(path)) pairs.push([row.truth_id_a, row.truth_id_b]);
  return pairs;
}

export async function readTruthStats(truthDir: string): Promise<TruthStats | null> {
  const path = join(truthDir, 'stats.json');
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as TruthStats) : null;
}

/** Building truth id → its compound and its grid (entities.csv: parent_truth_id and code). */
export async function readBuildingPlaces(truthDir: string): Promise<Map<string, { compound: string; grid: string }>> {
  const places = new Map<string, { compound: string; grid: string }>();
  for await (const row of csvRows(join(truthDir, 'entities.csv'))) {
    if (row.entity_type === 'building') places.set(row.truth_id, { compound: row.parent_truth_id, grid: row.code });
  }
  return places;
}

/** Person truth id → the building of the central household they keep (persons.csv roles central_household:…). */
export async function readCentralHouseholdBuildings(truthDir: string): Promise<Map<string, string>> {
  const buildings = new Map<string, string>();
  for await (const row of csvRows(join(truthDir, 'persons.csv'))) {
    const role = row.roles.split(';').find((r) => r.startsWith('central_household:'));
    if (role) buildings.set(row.truth_id, role.slice('central_household:'.length));
  }
  return buildings;
}

/** Organization truth id → the truth id of the property company it belongs to (orgs.csv company_truth_id). */
export async function readOrgCompanies(truthDir: string): Promise<Map<string, string>> {
  const companies = new Map<string, string>();
  for await (const row of csvRows(join(truthDir, 'orgs.csv'))) if (row.company_truth_id) companies.set(row.truth_id, row.company_truth_id);
  return companies;
}

/** Per file and sheet ('' for CSV), what each column written holds (drift cities' truth/columns.json); null when absent. */
export async function readColumnsTruth(truthDir: string): Promise<ColumnsTruth | null> {
  const path = join(truthDir, 'columns.json');
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as ColumnsTruth) : null;
}

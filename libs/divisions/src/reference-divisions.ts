import { PROJECT_ROOT } from '@qc/config';
import { DivisionLevel, DIVISION_LEVELS } from '@qc/database';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReferenceDivision {
  code: string;
  name: string;
  shortName: string;
  level: DivisionLevel;
  parentCode: string | null;
  provenance: string;
}

/** The NBS statistical divisions of Hohhot shipped with the product (etl/reference, see its README). */
export const REFERENCE_DIVISIONS_FILE = join(PROJECT_ROOT, 'etl', 'reference', 'divisions-hohhot.csv');

export function readReferenceDivisions(file = REFERENCE_DIVISIONS_FILE): ReferenceDivision[] {
  const rows = parse(readFileSync(file), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((row, index) => {
    const level = row.level as DivisionLevel;
    if (!/^\d{12}$/.test(row.code) || !DIVISION_LEVELS.includes(level)) {
      throw new Error(`${file} line ${index + 2}: bad code or level (${row.code}, ${row.level})`);
    }
    return {
      code: row.code,
      name: row.name,
      shortName: row.short_name || row.name,
      level,
      // The registry's root is the city; its province is outside the registry.
      parentCode: level === 'city' ? null : row.parent_code,
      provenance: `reference:${row.provenance}`,
    };
  });
}

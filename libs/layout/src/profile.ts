import { readFileSync } from 'fs';
import { ENTITY_KINDS, EntityKind, entityDef, COMMON_FIELDS } from './vocabulary';

/**
 * Where a field lives: a 0-based column index, a column letter ("C"), or the exact header text as
 * the sheet shows it (compared after normalisation). `null` removes the field from the mapping.
 */
export type ColumnRef = number | string | null;

/** Overrides for one sheet (or for every sheet when given at the top level of a profile). */
export interface SheetProfile {
  /** Pin the entity instead of detecting it. */
  entity?: EntityKind;
  /** Pin the header rows (Excel row numbers / CSV lines). */
  headerRows?: number[];
  /** Pin the first data line (defaults to the line after the last header row). */
  dataStartLine?: number;
  /** Pin or override column → field mappings: field → column. */
  columns?: Record<string, ColumnRef>;
  /** Extra header words per field, added to the built-in vocabulary for this source. */
  synonyms?: Record<string, string[]>;
  /** Replace the entity's required fields (each entry: alternatives joined by "|"). */
  required?: string[];
}

/**
 * A profile for a known source. Top-level SheetProfile fields apply to every sheet (and to CSV,
 * which has no sheet name); `sheets` keys are an exact sheet name, "*" or a "/regex/".
 */
export interface LayoutProfile extends SheetProfile {
  name: string;
  description?: string;
  sheets?: Record<string, SheetProfile>;
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

const SHEET_KEYS = new Set(['entity', 'headerRows', 'dataStartLine', 'columns', 'synonyms', 'required']);
const TOP_KEYS = new Set([...SHEET_KEYS, 'name', 'description', 'sheets', '$comment', 'comment']);

function validateSheet(p: Record<string, unknown>, where: string, allowed: Set<string>): SheetProfile {
  for (const k of Object.keys(p)) {
    if (!allowed.has(k) && !k.startsWith('$') && k !== 'comment') throw new ProfileError(`${where}: unknown key "${k}"`);
  }
  const entity = p.entity as EntityKind | undefined;
  if (entity !== undefined && !ENTITY_KINDS.includes(entity)) {
    throw new ProfileError(`${where}: unknown entity "${String(entity)}" (expected one of ${ENTITY_KINDS.join(', ')})`);
  }
  if (p.headerRows !== undefined) {
    if (!Array.isArray(p.headerRows) || !p.headerRows.every((n) => Number.isInteger(n) && (n as number) >= 1)) {
      throw new ProfileError(`${where}: headerRows must be an array of row numbers (1-based)`);
    }
  }
  if (p.dataStartLine !== undefined && !(Number.isInteger(p.dataStartLine) && (p.dataStartLine as number) >= 1)) {
    throw new ProfileError(`${where}: dataStartLine must be a row number (1-based)`);
  }
  const known = entity
    ? new Set([...entityDef(entity).fields, ...COMMON_FIELDS].map((f) => f.field))
    : null;
  if (p.columns !== undefined) {
    if (typeof p.columns !== 'object' || p.columns === null || Array.isArray(p.columns)) {
      throw new ProfileError(`${where}: columns must be an object of field → column`);
    }
    for (const [field, ref] of Object.entries(p.columns as Record<string, unknown>)) {
      if (known && !known.has(field)) throw new ProfileError(`${where}: field "${field}" does not belong to ${entity}`);
      const ok = ref === null || (typeof ref === 'number' && Number.isInteger(ref) && ref >= 0) || (typeof ref === 'string' && ref.trim() !== '');
      if (!ok) throw new ProfileError(`${where}: column for "${field}" must be an index, a letter, a header text or null`);
    }
  }
  if (p.synonyms !== undefined) {
    if (typeof p.synonyms !== 'object' || p.synonyms === null) throw new ProfileError(`${where}: synonyms must be an object`);
    for (const [field, words] of Object.entries(p.synonyms as Record<string, unknown>)) {
      if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) {
        throw new ProfileError(`${where}: synonyms for "${field}" must be an array of strings`);
      }
    }
  }
  if (p.required !== undefined && (!Array.isArray(p.required) || !p.required.every((r) => typeof r === 'string'))) {
    throw new ProfileError(`${where}: required must be an array of field names`);
  }
  return p as SheetProfile;
}

/** Validate a parsed profile object. */
export function parseProfile(data: unknown, source = 'profile'): LayoutProfile {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ProfileError(`${source}: a profile is a JSON object`);
  const p = data as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name.trim() === '') throw new ProfileError(`${source}: "name" is required`);
  validateSheet(p, source, TOP_KEYS);
  if (p.sheets !== undefined) {
    if (typeof p.sheets !== 'object' || p.sheets === null) throw new ProfileError(`${source}: sheets must be an object`);
    for (const [key, sp] of Object.entries(p.sheets as Record<string, unknown>)) {
      if (typeof sp !== 'object' || sp === null) throw new ProfileError(`${source}: sheets["${key}"] must be an object`);
      validateSheet(sp as Record<string, unknown>, `${source} sheets["${key}"]`, SHEET_KEYS);
      if (key.startsWith('/') && key.endsWith('/') && key.length > 2) {
        try {
          new RegExp(key.slice(1, -1));
        } catch {
          throw new ProfileError(`${source}: sheets key ${key} is not a valid regular expression`);
        }
      }
    }
  }
  return p as unknown as LayoutProfile;
}

/** Load and validate a profile file (etl/profiles/*.json). */
export function loadProfile(path: string): LayoutProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ProfileError(`profile ${path} cannot be read`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ProfileError(`profile ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseProfile(data, `profile ${path}`);
}

/** The effective overrides for one sheet: top-level settings, then the best matching `sheets` entry. */
export function resolveSheetProfile(profile: LayoutProfile | undefined, sheetName: string | null): SheetProfile | undefined {
  if (!profile) return undefined;
  const base: SheetProfile = {};
  for (const k of SHEET_KEYS) {
    const v = (profile as unknown as Record<string, unknown>)[k];
    if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  }
  const sheets = profile.sheets ?? {};
  let specific: SheetProfile | undefined;
  if (sheetName !== null && sheets[sheetName]) specific = sheets[sheetName];
  if (!specific && sheetName !== null) {
    for (const [key, sp] of Object.entries(sheets)) {
      if (key.length > 2 && key.startsWith('/') && key.endsWith('/') && new RegExp(key.slice(1, -1)).test(sheetName)) {
        specific = sp;
        break;
      }
    }
  }
  if (!specific && sheets['*']) specific = sheets['*'];
  if (!specific) return base;
  return {
    ...base,
    ...specific,
    columns: { ...(base.columns ?? {}), ...(specific.columns ?? {}) },
    synonyms: { ...(base.synonyms ?? {}), ...(specific.synonyms ?? {}) },
  };
}

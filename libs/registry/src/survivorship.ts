import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldLineage, FieldSource } from '@qc/database';
import { lineageEntry } from './origin';
import { PROJECT_ROOT } from '@qc/config';

export type SourceRanking = { default: string[] } & Record<string, string[] | Record<string, string[]>>;

export function loadSurvivorship(file = join(PROJECT_ROOT, 'config', 'survivorship.json')): SourceRanking {
  if (!existsSync(file)) throw new Error(`survivorship rules not found: ${file}`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as SourceRanking;
  delete parsed.$comment;
  if (!Array.isArray(parsed.default)) throw new Error(`${file}: "default" must list the sources best first`);
  return parsed;
}

export interface SurvivorResult<T> {
  /** Fields whose golden value changes: { field: [before, after] }. */
  changes: Record<string, [unknown, unknown]>;
  values: Partial<T>;
  lineage: FieldLineage;
  /** Whether anything (a value or the record answering for it) changed and must be written. */
  dirty: boolean;
}

/**
 * Applies survivorship to one entity: for each offered field, keeps the current value or takes the
 * offered one, and records in lineage which source record each kept value came from.
 * Empty offers never erase a value (most complete wins).
 */
export function survive<T extends object>(
  rules: SourceRanking,
  entityType: string,
  current: Partial<T> | null,
  lineage: FieldLineage,
  offered: Partial<T>,
  origin: Required<FieldSource>,
): SurvivorResult<T> {
  const ranking = (rules[entityType] ?? {}) as Record<string, string[]>;
  const rank = (field: string, source: string | undefined) => {
    const order = ranking[field] ?? rules.default;
    const i = source === undefined ? -1 : order.indexOf(source);
    return i === -1 ? order.length : i;
  };
  const changes: Record<string, [unknown, unknown]> = {};
  const values: Partial<T> = {};
  const nextLineage: FieldLineage = { ...lineage };
  let dirty = false;
  for (const [field, value] of Object.entries(offered) as [keyof T & string, T[keyof T]][]) {
    if (value === null || value === undefined || value === '') continue;
    const before = current ? (current[field] ?? null) : null;
    const holder = lineage[field];
    const ours = rank(field, origin.source);
    const theirs = holder ? rank(field, holder.source) : Infinity;
    const wins = before === null || ours <= theirs;
    if (!wins) continue;
    if (!sameValue(before, value)) {
      changes[field] = [before, value];
      values[field] = value as T[keyof T & string];
      nextLineage[field] = lineageEntry(origin);
      dirty = true;
    } else if (ours < theirs) {
      // Same value, better source: it now answers for the field, so a worse source cannot override it.
      nextLineage[field] = lineageEntry(origin);
      dirty = true;
    }
  }
  return { changes, values, lineage: nextLineage, dirty };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

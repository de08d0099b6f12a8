import { Injectable } from '@nestjs/common';
import { ChangeAction, ChangeLog, insertRows } from '@qc/database';
import { EntityManager } from 'typeorm';
import { markFeedWriter } from './feed-horizon';

export interface ChangeEntry {
  entityType: string;
  entityId: string;
  action: ChangeAction;
  changes: Record<string, [unknown, unknown]>;
  batchId?: string | null;
  actor: string;
}

/** Fields whose value differs between before and after, as { field: [before, after] }. */
export function diffFields<T extends object>(before: Partial<T> | null, after: Partial<T>, fields: readonly (keyof T)[]): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of fields) {
    const old = before ? (before[field] ?? null) : null;
    const next = after[field] ?? null;
    if (old !== next) changes[field as string] = [old, next];
  }
  return changes;
}

/** A created (or restored) entity's fields as { field: [null, value] }, the unset ones left out. */
export function createdFields(fields: Record<string, unknown>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [field, value] of Object.entries(fields)) if (value !== null && value !== undefined) changes[field] = [null, value];
  return changes;
}

/**
 * The feed's one shape of a merge, whoever merged: { absorbed: [absorbedId, survivorId] } on the
 * survivor. The absorbed entity is gone, and whatever referred to it now refers to the survivor.
 */
export function mergeEntry(entityType: string, survivorId: string, absorbedId: string, actor: string, batchId: string | null = null): ChangeEntry {
  return { entityType, entityId: survivorId, action: 'merge', changes: { absorbed: [absorbedId, survivorId] }, batchId, actor };
}

/** A row gone because a merge made it redundant (the survivor has its like). */
export function deleteEntry(entityType: string, entityId: string, actor: string, batchId: string | null = null): ChangeEntry {
  return { entityType, entityId, action: 'delete', changes: {}, batchId, actor };
}

/** Writes the change feed inside the caller's transaction, so a change and its entry commit together. */
@Injectable()
export class ChangeRecorder {
  async record(manager: EntityManager, entries: ChangeEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await markFeedWriter(manager);
    for (let i = 0; i < entries.length; i += 1000) {
      const rows = entries.slice(i, i + 1000).map((e) => ({ ...e, batchId: e.batchId ?? null }));
      await insertRows(manager, ChangeLog, rows);
    }
  }
}

import { Injectable } from '@nestjs/common';
import { CHANGE_RANGE_SIZE, ChangeAction, ChangeLog, writeRows } from '@qc/database';
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

/**
 * The row an entry is stored as: a create keeps no values (the feed serves the entity's fields as
 * they are when it is read), and an import's entry no actor (its batch is the actor).
 */
export function changeRow(e: ChangeEntry): Partial<ChangeLog> {
  const batchId = e.batchId ?? null;
  return {
    entityType: e.entityType, entityId: e.entityId, entityIds: null, action: e.action, batchId,
    changes: e.action === 'create' ? null : e.changes,
    actor: batchId !== null && e.actor === `batch:${batchId}` ? null : e.actor,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rows of a run of entries: creates of one type, batch and actor go into one range entry, at
 * the place of the first (CHANGE_RANGE_SIZE at most). Moving a create earlier changes nothing a
 * follower ends with, since it shows the entity as it is now; a create of an entity that an entry
 * before it in the run names (deleted and made again) stays where it is.
 */
export function changeRows(entries: ChangeEntry[]): Partial<ChangeLog>[] {
  const rows: Partial<ChangeLog>[] = [];
  const ranges = new Map<string, Partial<ChangeLog>>();
  const named = new Set<string>();
  for (const e of entries) {
    const row = changeRow(e);
    if (e.action !== 'create' || !UUID.test(e.entityId) || named.has(e.entityId)) {
      named.add(e.entityId);
      rows.push(row);
      continue;
    }
    const key = `${row.entityType} ${row.batchId} ${row.actor}`;
    const range = ranges.get(key);
    if (range && range.entityIds!.length < CHANGE_RANGE_SIZE) range.entityIds!.push(e.entityId);
    else {
      row.entityIds = [e.entityId];
      ranges.set(key, row);
      rows.push(row);
    }
  }
  for (const row of rows) if (row.entityIds?.length === 1) row.entityIds = null;
  return rows;
}

/** Writes the change feed inside the caller's transaction, so a change and its entry commit together. */
@Injectable()
export class ChangeRecorder {
  async record(manager: EntityManager, entries: ChangeEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await markFeedWriter(manager);
    await writeRows(manager, ChangeLog, changeRows(entries));
  }
}

import { ChangeEntry, ChangeRecorder, mergeEntry } from '@qc/changes';
import { EntityManager } from 'typeorm';
import { actorOf, Origin } from './origin';

/** The actor of changes the end of a merge derives from all its records together (hierarchy, absorbed organizations). */
export const RECONCILE = 'reconcile';

/** Collects change-feed entries during a merge chunk and writes them with the chunk. */
export class ChangeBuffer {
  private entries: ChangeEntry[] = [];

  constructor(private readonly recorder: ChangeRecorder) {}

  /** A create names no values: the feed shows the entity's fields as they are when it is read. */
  created(entityType: string, entityId: string, origin: Origin): void {
    this.entries.push({ entityType, entityId, action: 'create', changes: {}, batchId: origin.batchId, actor: actorOf(origin) });
  }

  updated(entityType: string, entityId: string, changes: Record<string, [unknown, unknown]>, origin: Origin): void {
    if (Object.keys(changes).length === 0) return;
    this.entries.push({ entityType, entityId, action: 'update', changes, batchId: origin.batchId, actor: actorOf(origin) });
  }

  /** A change derived from all records together, which no one batch answers for. */
  reconciled(entityType: string, entityId: string, changes: Record<string, [unknown, unknown]>): void {
    this.entries.push({ entityType, entityId, action: 'update', changes, batchId: null, actor: RECONCILE });
  }

  /** Entries a set-based rule made (each names its own actor and batch). */
  add(entries: ChangeEntry[]): void {
    this.entries.push(...entries);
  }

  merged(entityType: string, survivorId: string, absorbedId: string, actor: string, batchId: string | null): void {
    this.entries.push(mergeEntry(entityType, survivorId, absorbedId, actor, batchId));
  }

  async flush(manager: EntityManager): Promise<void> {
    const entries = this.entries;
    this.entries = [];
    await this.recorder.record(manager, entries);
  }
}

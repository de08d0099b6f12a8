import { FieldLineage } from '@qc/database';

/** The source record a write comes from: what lineage records and survivorship ranks. */
export interface Origin {
  sourceRecordId: string;
  batchId: string;
  /** Source kind, S1…S6. */
  source: string;
}

export function lineageEntry(origin: Origin): FieldLineage[string] {
  return { sourceRecordId: origin.sourceRecordId, batchId: origin.batchId, source: origin.source };
}

export function actorOf(origin: Origin): string {
  return `batch:${origin.batchId}`;
}

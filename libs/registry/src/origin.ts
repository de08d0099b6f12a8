import { FieldLineage } from '@qc/database';
import { EntityManager } from 'typeorm';

/** The source record a write comes from: what lineage records and survivorship ranks. */
export interface Origin {
  sourceRecordId: string;
  batchId: string;
  /** Source kind, S1…S6. */
  source: string;
}

export function lineageEntry(origin: Pick<Origin, 'sourceRecordId' | 'source'>): FieldLineage[string] {
  return { sourceRecordId: origin.sourceRecordId, source: origin.source };
}

export function actorOf(origin: Origin): string {
  return `batch:${origin.batchId}`;
}

/** Tables whose rows record every batch that claimed them (batch_ids). */
export type ClaimedTable = 'membership' | 'role_assignment' | 'joint_organization_member';

/**
 * Adds each batch to the batch_ids of the row it claimed again (a membership, role assignment or
 * joint-organization link another batch created): a rollback removes such a row only once no batch claims it any more.
 */
export async function recordClaims(manager: EntityManager, table: ClaimedTable, claims: [rowId: string, batchId: string][]): Promise<void> {
  if (claims.length === 0) return;
  await manager.query(`
    UPDATE ${table} t SET batch_ids = array_append(t.batch_ids, c.batch_id)
      FROM unnest($1::uuid[], $2::uuid[]) AS c(id, batch_id)
     WHERE t.id = c.id AND NOT (c.batch_id = ANY(t.batch_ids))`, [claims.map((c) => c[0]), claims.map((c) => c[1])]);
}

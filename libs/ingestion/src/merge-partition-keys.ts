import { SourceRecord } from '@qc/database';
import { isDamaged } from '@qc/naming';
import { blockingKeys, claimEvidence, MergeSession, organizationKey, personKeysNear, PartitionPlan, planFor } from '@qc/registry';
import { EntityManager, MoreThan } from 'typeorm';
import { MemberRecord } from './sources/member-roster.source';

/** Sheet kinds whose reach in the registry is known from their records' keys; any other locks the whole registry. */
const KEYED_KINDS = new Set(['member-roster']);

const READ_CHUNK = 5000;

/** What a batch's merge reaches: its records' own keys and row hashes, and the plan the registry as it stands gives them. */
export interface BatchReach {
  recordKeys: Set<string>;
  rowHashes: string[];
  plan: PartitionPlan;
}

/**
 * The partitions a batch's merge must own, from its staged records: each member's blocking keys
 * (name, phonetic name, phone, ID, visible ID digits, near-miss IDs), each organization's name key
 * and grid, then the keys of the registry persons those reach (personKeysNear). A batch with a
 * record of any other sheet kind, or a damaged organization name (matched by pattern, not key),
 * or merged into a registry holding the retired app's records, takes the whole registry. `session`
 * only reads (organization names parsed, the registry asked); it writes nothing.
 */
export async function batchReach(manager: EntityManager, session: MergeSession, batchId: string): Promise<BatchReach> {
  const recordKeys = new Set<string>();
  const rowHashes: string[] = [];
  const organizations = new Map<string, string[] | null>();
  const whole = { plan: planFor([], true), recordKeys, rowHashes };
  // Known now rather than at the end of the merge, where taking the whole registry could mean starting over.
  if (await session.holdsRetiredRecords()) return whole;
  let after = '0';
  for (;;) {
    const records = await manager.find(SourceRecord, {
      select: { id: true, entityType: true, payload: true, rowHash: true },
      where: { batchId, status: 'accepted', id: MoreThan(after) }, order: { id: 'ASC' }, take: READ_CHUNK,
    });
    if (records.length === 0) break;
    for (const record of records) {
      if (!KEYED_KINDS.has(record.entityType ?? '')) return whole;
      const payload = record.payload as unknown as MemberRecord;
      for (const key of blockingKeys(claimEvidence({ facts: payload.person }))) recordKeys.add(key);
      rowHashes.push(record.rowHash);
      if (!payload.organization) continue;
      const named = `${payload.ledger ?? ''}\u0000${payload.organization}`;
      let keys = organizations.get(named);
      if (keys === undefined) {
        const community = payload.ledger ? await session.places.ledgerCommunity(payload.ledger) : null;
        const parsed = await session.organizations.parse(payload.organization, community);
        keys = isDamaged(parsed.coreKey) ? null : [organizationKey(parsed.coreKey), ...(parsed.grid ? [`g:${parsed.grid}`] : [])];
        organizations.set(named, keys);
      }
      if (!keys) return whole;
      for (const key of keys) recordKeys.add(key);
    }
    after = records[records.length - 1].id;
    if (planFor(recordKeys).whole) return whole;
  }
  return { recordKeys, rowHashes, plan: planFor(await personKeysNear(manager, recordKeys, rowHashes)) };
}

import { EntityManager } from 'typeorm';

/**
 * Partitions of the registry a merge owns while it applies a batch: keys (a person's blocking
 * keys, an organization's name key, a grid number) hash to one of MERGE_BUCKETS buckets, each an
 * advisory lock (MERGE_LOCK_CLASS, bucket) held to the end of the transaction. Two merges whose
 * records could meet the same entity share a bucket and run one after the other; others run side
 * by side. Bucket 0 is the gate: taken shared by a merge that locks buckets, exclusive by one that
 * needs the whole registry (a large batch, a sheet kind whose reach is not keyed, rollback, curation).
 *
 * Buckets are fine (2^24), not coarse: two batches of k keys each share some bucket of B with
 * probability about 1 - exp(-k²/B), so with 1024 buckets two 20-row rosters (~100 keys each) of
 * different districts would almost always collide and never run together. What bounds a merge is
 * the number of locks PostgreSQL's shared lock table holds (max_locks_per_transaction ×
 * max_connections, 6,400 by default), hence WHOLE_REGISTRY_LOCKS.
 */
export const MERGE_LOCK_CLASS = 0x51430001;
export const MERGE_BUCKETS = 1 << 24;
/** Past this many buckets a merge locks the whole registry: one lock instead of more than the lock table should carry. */
export const WHOLE_REGISTRY_LOCKS = 512;

/** A key's bucket, 1..MERGE_BUCKETS: FNV-1a over its UTF-16 code units, ours and fixed (never PostgreSQL's hashtext, which may change). */
export function bucketOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % MERGE_BUCKETS) + 1;
}

/** The partition key of a party organization: its name key (the same name in two communities shares it, which only serialises more). */
export function organizationKey(nameKey: string): string {
  return `o:${nameKey}`;
}

/** What a merge locks: the whole registry, or the buckets of its keys. */
export interface PartitionPlan {
  whole: boolean;
  buckets: number[];
}

/** The plan for a set of keys: their buckets, or the whole registry past WHOLE_REGISTRY_LOCKS of them. */
export function planFor(keys: Iterable<string>, whole = false): PartitionPlan {
  if (whole) return { whole: true, buckets: [] };
  const buckets = [...new Set([...keys].map(bucketOf))].sort((a, b) => a - b);
  return buckets.length > WHOLE_REGISTRY_LOCKS ? { whole: true, buckets: [] } : { whole: false, buckets };
}

/** The union of two plans (a retry asks for what it held and what it found missing). */
export function widen(a: PartitionPlan, b: PartitionPlan): PartitionPlan {
  if (a.whole || b.whole) return { whole: true, buckets: [] };
  const buckets = [...new Set([...a.buckets, ...b.buckets])].sort((x, y) => x - y);
  return buckets.length > WHOLE_REGISTRY_LOCKS ? { whole: true, buckets: [] } : { whole: false, buckets };
}

/**
 * Raised inside a merge's transaction when it finds it needs more than it locked and cannot take it
 * without waiting (waiting out of order could deadlock): the caller rolls back and starts again
 * with `plan`, locked in order from the start.
 */
export class PartitionsOutgrown extends Error {
  constructor(readonly plan: PartitionPlan, why: string) {
    super(`the merge needs more of the registry than it locked: ${why}`);
  }
}

/** The partitions one transaction holds; it can take more only without waiting. */
export class MergePartitions {
  private held: Set<number>;

  private constructor(private readonly manager: EntityManager, private plan: PartitionPlan) {
    this.held = new Set(plan.buckets);
  }

  /** Takes the plan's locks in ascending order (no deadlocks between merges): the gate first. */
  static async lock(manager: EntityManager, plan: PartitionPlan): Promise<MergePartitions> {
    if (plan.whole) {
      await manager.query('SELECT pg_advisory_xact_lock($1, 0)', [MERGE_LOCK_CLASS]);
    } else {
      await manager.query('SELECT pg_advisory_xact_lock_shared($1, 0)', [MERGE_LOCK_CLASS]);
      // One statement; the array is in ascending order and unnest keeps it.
      if (plan.buckets.length > 0) await manager.query('SELECT count(pg_advisory_xact_lock($1, b)) FROM unnest($2::int[]) WITH ORDINALITY AS u(b, i)', [MERGE_LOCK_CLASS, plan.buckets]);
    }
    return new MergePartitions(manager, plan);
  }

  get whole(): boolean {
    return this.plan.whole;
  }

  owns(key: string): boolean {
    return this.plan.whole || this.held.has(bucketOf(key));
  }

  /** Makes sure these keys' buckets are held: takes the missing ones if free, else PartitionsOutgrown. */
  async ensure(keys: Iterable<string>, why: string): Promise<void> {
    if (this.plan.whole) return;
    const wanted = planFor(keys);
    const missing = wanted.whole ? null : wanted.buckets.filter((b) => !this.held.has(b));
    if (missing?.length === 0) return;
    const grown = widen(this.plan, wanted);
    if (grown.whole || !missing) return this.ensureWhole(why);
    const [{ got }]: { got: boolean }[] = await this.manager.query(
      'SELECT bool_and(pg_try_advisory_xact_lock($1, b)) AS got FROM unnest($2::int[]) AS b', [MERGE_LOCK_CLASS, missing]);
    if (!got) throw new PartitionsOutgrown(grown, why);
    for (const b of missing) this.held.add(b);
    this.plan = grown;
  }

  /**
   * Makes this merge the registry's only one: the gate exclusive, if no other merge holds it (this
   * transaction's own shared hold does not count), else PartitionsOutgrown.
   */
  async ensureWhole(why: string): Promise<void> {
    if (this.plan.whole) return;
    const [{ got }]: { got: boolean }[] = await this.manager.query('SELECT pg_try_advisory_xact_lock($1, 0) AS got', [MERGE_LOCK_CLASS]);
    if (!got) throw new PartitionsOutgrown({ whole: true, buckets: [] }, why);
    this.plan = { whole: true, buckets: [] };
  }
}

/** Locks the whole registry for this transaction: for rollback, curation and review decisions, which are rare and reach anywhere. */
export async function lockRegistry(manager: Pick<EntityManager, 'query'>): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, 0)', [MERGE_LOCK_CLASS]);
}

import { EntityManager } from 'typeorm';

/**
 * Feed positions are handed out by a sequence as entries are written, not as transactions commit:
 * a merge holding 1..100 that commits after another merge's 101..120 would be skipped by a reader
 * who had read up to 120 in between. So every writer marks where it started, with a shared
 * advisory lock (FEED_LOCK_CLASS, the sequence's value then, modulo 2^32) held until it commits or
 * rolls back, and a reader serves only positions below the first mark still held (feedHorizon).
 */
export const FEED_LOCK_CLASS = 0x51430002;

/**
 * Marks this transaction as a feed writer from the sequence's current value on; before its first
 * entry. Only its first mark counts, and each mark is an entry of PostgreSQL's shared lock table
 * until commit: a merge writing the feed once per chunk marks once, not once per chunk.
 */
export async function markFeedWriter(manager: EntityManager): Promise<void> {
  await manager.query(`
    SELECT pg_advisory_xact_lock_shared($1, ((last_value % 4294967296) - 2147483648)::int) FROM change_log_seq_seq
     WHERE NOT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objsubid = 2 AND pid = pg_backend_pid())`, [FEED_LOCK_CLASS]);
}

/**
 * The first position a reader may not serve yet: past every position handed out so far, and not
 * past the mark of any writer still open (its entries all lie above its mark). Read in a statement
 * of its own, before the entries: an entry of a writer that committed since is then visible to the
 * reader's next statement, and one handed out since lies at or above this horizon.
 */
export const FEED_HORIZON_SQL = `
  WITH s AS (SELECT last_value AS l FROM change_log_seq_seq),
  marks AS (
    SELECT ((objid::bigint - 2147483648) % 4294967296 + 4294967296) % 4294967296 AS m
      FROM pg_locks WHERE locktype = 'advisory' AND classid = ${FEED_LOCK_CLASS} AND objsubid = 2
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))
  SELECT (least(s.l, min(s.l - ((s.l - marks.m) % 4294967296 + 4294967296) % 4294967296)) + 1)::text AS horizon
    FROM s LEFT JOIN marks ON true GROUP BY s.l`;

import { Client } from 'pg';

/** What an import made of the registry, comparable between two databases that imported the same files. */
export interface RegistrySnapshot {
  persons: number;
  organizations: number;
  memberships: number;
  /** name key | birth date of every person, sorted: a duplicate person shows as a repeated entry. */
  people: string[];
}

/** What became of one batch's rows, to check that each was staged and applied exactly once. */
export interface BatchLedger {
  status: string;
  rows: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** Source records stored for the batch, and how many distinct rows of the file they are. */
  records: number;
  distinctRefs: number;
  /** Accepted records with their link (one at most: record_link's primary key is the record). */
  linkedRecords: number;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'qc-test-observer' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function registrySnapshot(url: string): Promise<RegistrySnapshot> {
  return withClient(url, async (client) => {
    const counts = await client.query(`SELECT (SELECT count(*)::int FROM person) AS persons,
      (SELECT count(*)::int FROM party_organization) AS organizations, (SELECT count(*)::int FROM membership) AS memberships`);
    const people = await client.query(`SELECT name_key || '|' || coalesce(birth_date::text, '') AS key FROM person ORDER BY 1`);
    return { ...counts.rows[0], people: people.rows.map((r) => r.key as string) };
  });
}

export function batchLedger(url: string, batchId: string): Promise<BatchLedger> {
  return withClient(url, async (client) => {
    const { rows } = await client.query(`SELECT b.status, b.rows_read AS rows, b.accepted, b.rejected, b.skipped,
        (SELECT count(*)::int FROM source_record s WHERE s.batch_id = b.id) AS records,
        (SELECT count(DISTINCT s.record_ref)::int FROM source_record s WHERE s.batch_id = b.id) AS "distinctRefs",
        (SELECT count(*)::int FROM record_link l JOIN source_record s ON s.id = l.source_record_id WHERE s.batch_id = b.id) AS "linkedRecords"
      FROM import_batch b WHERE b.id = $1`, [batchId]);
    return rows[0];
  });
}

/** The batch's status and progress in its phase (bytes of the file while staging), read on a connection of the test's own. */
export function batchProgress(url: string, batchId: string): Promise<{ status: string; done: number; total: number | null }> {
  return withClient(url, async (client) => {
    const { rows } = await client.query('SELECT status, progress_done::float8 AS done, progress_total::float8 AS total FROM import_batch WHERE id = $1', [batchId]);
    return rows[0];
  });
}

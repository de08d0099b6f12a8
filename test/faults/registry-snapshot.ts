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

/**
 * The registry in a form that does not depend on ids or on the order batches merged in: each
 * person as the sorted source records (file checksum # row) it was made of, each organization by
 * name key and division, then every membership, record link and review task in those terms, and
 * the change feed's creates counted by entity type (its updates depend on which file came first).
 * Two databases that imported the same files to the same registry give equal values.
 */
export interface CanonicalRegistry {
  persons: string[];
  organizations: string[];
  memberships: string[];
  links: string[];
  reviewTasks: string[];
  feedCreates: string[];
}

export function canonicalRegistry(url: string): Promise<CanonicalRegistry> {
  return withClient(url, async (client) => {
    const rows = async (sql: string) => (await client.query(sql)).rows.map((r) => r.v as string);
    const named = `
      WITH person_name AS (
        SELECT l.entity_id, string_agg(b.file_sha256 || '#' || r.record_ref, ' ' ORDER BY b.file_sha256, r.record_ref) AS v
          FROM record_link_entry l JOIN source_record r ON r.id = l.source_record_id JOIN import_batch b ON b.id = r.batch_id
         WHERE l.entity_type = 'person' AND l.role = 'subject' GROUP BY l.entity_id),
      org_name AS (SELECT o.id::text AS entity_id, o.name_key || '@' || coalesce(o.division_code, '-') AS v FROM party_organization o),
      entity_name AS (SELECT 'person' AS t, entity_id, v FROM person_name UNION ALL SELECT 'organization', entity_id, v FROM org_name)`;
    return {
      persons: await rows(`${named} SELECT v FROM person_name ORDER BY v`),
      organizations: await rows(`${named} SELECT o.v || ' ' || x.type || ' under ' || coalesce(p.v, '-') AS v
          FROM party_organization x JOIN org_name o ON o.entity_id = x.id::text LEFT JOIN org_name p ON p.entity_id = x.parent_id::text ORDER BY 1`),
      memberships: await rows(`${named} SELECT coalesce(p.v, '?') || ' in ' || o.v || ' ' || m.status AS v
          FROM membership m LEFT JOIN person_name p ON p.entity_id = m.person_id::text JOIN org_name o ON o.entity_id = m.organization_id::text ORDER BY 1`),
      // Not the link's method: a record's person is 'created' by whichever file came first.
      links: await rows(`${named} SELECT b.file_sha256 || '#' || r.record_ref || ' ' || l.role || ' ' || l.entity_type || ' ' || coalesce(e.v, '?') AS v
          FROM record_link_entry l JOIN source_record r ON r.id = l.source_record_id JOIN import_batch b ON b.id = r.batch_id
          LEFT JOIN entity_name e ON e.t = l.entity_type AND e.entity_id = l.entity_id ORDER BY 1`),
      reviewTasks: await rows(`${named} SELECT t.kind || ' ' || t.status || ' ' || coalesce(a.v, '?') || ' / ' || coalesce(c.v, '?') AS v
          FROM review_task t LEFT JOIN entity_name a ON a.t = t.entity_type AND a.entity_id = t.left_id LEFT JOIN entity_name c ON c.t = t.entity_type AND c.entity_id = t.right_id ORDER BY 1`),
      feedCreates: await rows(`SELECT entity_type || ' created ' || sum(coalesce(cardinality(entity_ids), 1)) AS v FROM change_log WHERE action = 'create' GROUP BY entity_type ORDER BY 1`),
    };
  });
}

import { RecordStatus } from '@qc/database';
import { DataSource } from 'typeorm';

/** One staged row of an imported file and the entity its record was linked to as subject, if any. */
export interface StagedRecord {
  fileName: string;
  recordRef: string;
  status: RecordStatus;
  entityType: string | null;
  entityId: string | null;
}

const PAGE_ROWS = 10_000;

/** Every source record of every batch, page by page (keyset on the record id), with its subject link. */
export async function* stagedRecords(dataSource: DataSource): AsyncIterable<StagedRecord> {
  let after = '0';
  for (;;) {
    // DISTINCT ON keeps one subject link per record, so a page never ends halfway through a record.
    const page: (StagedRecord & { id: string })[] = await dataSource.query(
      `SELECT DISTINCT ON (sr.id) sr.id, b.file_name AS "fileName", sr.record_ref AS "recordRef", sr.status,
              l.entity_type AS "entityType", l.entity_id AS "entityId"
         FROM source_record sr
         JOIN import_batch b ON b.id = sr.batch_id
         LEFT JOIN record_link l ON l.source_record_id = sr.id
        WHERE sr.id > $1
        ORDER BY sr.id
        LIMIT $2`,
      [after, PAGE_ROWS],
    );
    yield* page;
    if (page.length < PAGE_ROWS) return;
    after = page[page.length - 1].id;
  }
}

/** Open review tasks, or null on a registry without the review_task table. */
export async function openReviewTasks(dataSource: DataSource): Promise<number | null> {
  const tables: unknown[] = await dataSource.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'review_task'`,
  );
  if (tables.length === 0) return null;
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM review_task WHERE status = 'open'`);
  return n;
}

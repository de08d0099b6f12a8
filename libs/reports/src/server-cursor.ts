import { DataSource } from 'typeorm';

/**
 * Every row of a query through a server-side cursor, fetched `batch` rows at a time: any ORDER BY,
 * and never the whole result in memory. The cursor lives in a read-only transaction on a connection
 * of its own, released when the caller stops (finishes, breaks out, or fails).
 */
export async function* cursorRows<Row>(dataSource: DataSource, sql: string, params: unknown[], batch = 2000): AsyncGenerator<Row[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let inTransaction = false;
  let pending: Promise<Row[]> | null = null;
  try {
    await runner.query('BEGIN TRANSACTION READ ONLY');
    inTransaction = true;
    // Every row will be read: plan for the whole result, not (PostgreSQL's default for cursors) for the first 10%.
    await runner.query('SET LOCAL cursor_tuple_fraction = 1.0');
    await runner.query(`DECLARE report_cursor NO SCROLL CURSOR FOR ${sql}`, params);
    // The next batch is fetched while the caller works on this one: the database and the caller run side by side.
    pending = runner.query(`FETCH ${batch} FROM report_cursor`);
    for (;;) {
      const rows: Row[] = await pending;
      pending = rows.length < batch ? null : runner.query(`FETCH ${batch} FROM report_cursor`);
      if (rows.length > 0) yield rows;
      if (!pending) break;
    }
    await runner.query('COMMIT');
    inTransaction = false;
  } finally {
    // A caller that stops early leaves a fetch in flight: it ends before the connection is handed back.
    if (pending) await pending.catch(() => undefined);
    if (inTransaction) await runner.query('ROLLBACK').catch(() => undefined);
    await runner.release();
  }
}

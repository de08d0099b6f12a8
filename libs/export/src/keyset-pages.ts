/**
 * Every row of a keyset-paginated query, fetching the next page (rows after the last key seen)
 * only when the previous one has been consumed: a whole table is never held in memory.
 */
export async function* keysetPages<Row, Key>(
  fetchPage: (after: Key | null, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  pageSize = 5000,
): AsyncGenerator<Row> {
  let after: Key | null = null;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = keyOf(page[page.length - 1]);
  }
}

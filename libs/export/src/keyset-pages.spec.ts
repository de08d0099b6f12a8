import { keysetPages } from './keyset-pages';

describe('keysetPages', () => {
  const table = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
  const fetched: (number | null)[] = [];
  const fetchPage = async (after: number | null, limit: number) => {
    fetched.push(after);
    return table.filter((row) => row.id > (after ?? 0)).slice(0, limit);
  };

  beforeEach(() => { fetched.length = 0; });

  it('reads every row once, page after page from the last key', async () => {
    const rows: number[] = [];
    for await (const row of keysetPages(fetchPage, (r) => r.id, 3)) rows.push(row.id);
    expect(rows).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fetched).toEqual([null, 3, 6]);
  });

  it('asks once more when the last page is exactly full', async () => {
    const rows: number[] = [];
    for await (const row of keysetPages(fetchPage, (r) => r.id, 7)) rows.push(row.id);
    expect(rows).toHaveLength(7);
    expect(fetched).toEqual([null, 7]);
  });

  it('fetches the next page only when the rows before it are consumed', async () => {
    const pages = keysetPages(fetchPage, (r) => r.id, 3);
    await pages.next();
    expect(fetched).toEqual([null]);
    await pages.return(undefined);
  });
});

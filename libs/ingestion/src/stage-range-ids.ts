import { EntityManager } from 'typeorm';

/** Ids as runs of consecutive values, [first id, count]: a range's reservation, stored in a few numbers. */
export type IdRuns = [string, number][];

/**
 * Reserves `count` source_record ids at once. The sequence only grows, so ranges reserved one after
 * the other in file order get ids in file order, whichever job stages its rows first.
 */
export async function reserveIdRuns(manager: EntityManager, count: number): Promise<IdRuns> {
  if (count === 0) return [];
  const rows: { first: string; n: number }[] = await manager.query(
    `SELECT min(id)::text AS first, count(*)::int AS n
       FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS run
               FROM (SELECT nextval(pg_get_serial_sequence('source_record', 'id')) AS id FROM generate_series(1, $1)) reserved) numbered
      GROUP BY run ORDER BY min(id)`,
    [count],
  );
  return rows.map((r) => [r.first, r.n]);
}

/** The lowest and highest id of a reservation (an attempt's rows lie between them). */
export function idBounds(runs: IdRuns): [string, string] | null {
  if (runs.length === 0) return null;
  const [lastFirst, lastCount] = runs[runs.length - 1];
  return [runs[0][0], String(BigInt(lastFirst) + BigInt(lastCount) - 1n)];
}

/** Hands out a reservation's ids in order. */
export class IdSupply {
  private run = 0;
  private used = 0;

  constructor(private readonly runs: IdRuns) {}

  take(count: number): string[] {
    const ids: string[] = [];
    while (ids.length < count) {
      const current = this.runs[this.run];
      // The pre-scan counts every row of the range, so a reader never yields more: a bug if it does.
      if (!current) throw new Error(`a range yielded more rows than its pre-scan counted (${ids.length} of ${count} ids left)`);
      const [first, size] = current;
      const n = Math.min(size - this.used, count - ids.length);
      const base = BigInt(first) + BigInt(this.used);
      for (let i = 0; i < n; i++) ids.push(String(base + BigInt(i)));
      this.used += n;
      if (this.used === size) {
        this.run++;
        this.used = 0;
      }
    }
    return ids;
  }
}

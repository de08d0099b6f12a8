import { getDataSourceToken } from '@nestjs/typeorm';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { generateCity, readRoster, rowsByDistrict, writeRoster } from '../etl/generate';
import { ChangeRecorder, FEED_LOCK_CLASS } from '../libs/changes/src';
import { accountingAddsUp, ImportsService } from '../libs/ingestion/src';
import { personNameKeys } from '../libs/naming/src';
import { ChangeFeedQuery, readDatabaseOf } from '../libs/query/src';
import { MERGE_LOCK_CLASS, MergePartitions, PartitionsOutgrown, planFor, widen } from '../libs/registry/src';
import { canonicalRegistry, CanonicalRegistry, withClient } from './faults/registry-snapshot';
import { startRegistry } from './support/registry-app';
import { createTestDatabase } from './support/test-database';

/** Rows of one district the other districts' rows share no name, phonetic name, ID or phone with: their merges own disjoint partitions. */
const ROWS_PER_DISTRICT = 24;

/** A fixed shuffle (the order differs from the files' and from each other run's). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Imports `files` into a fresh database with `QC_IMPORT_CONCURRENCY` jobs at a time, all submitted
 * at once (concurrency > 1) or one after the other; `whileRunning` runs beside the imports and is
 * given the database's URL. Returns the registry in canonical form.
 */
async function importInto(files: string[], concurrency: number, whileRunning?: (url: string) => Promise<void>): Promise<CanonicalRegistry> {
  const database = await createTestDatabase();
  process.env.QC_IMPORT_CONCURRENCY = String(concurrency);
  const app = await startRegistry('in-process');
  try {
    const imports = app.get(ImportsService);
    const run = async (file: string) => imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50);
    const all = concurrency > 1
      ? Promise.all(files.map(run))
      : files.reduce(async (done, f) => [...await done, await run(f)], Promise.resolve([] as Awaited<ReturnType<typeof run>>[]));
    const [summaries] = await Promise.all([all, whileRunning?.(database.url)]);
    for (const s of summaries) {
      expect(s.status).toBe('completed');
      expect(accountingAddsUp(s)).toBe(true);
    }
    return await canonicalRegistry(database.url);
  } finally {
    delete process.env.QC_IMPORT_CONCURRENCY;
    await app.close();
    await database.drop();
  }
}

/** A merge in progress as pg_locks shows it: the buckets it holds, and what it waits on. */
interface MergeSeen {
  buckets: number[];
  /** At the end of its first chunk, holding its partitions. */
  waitsToLink: boolean;
  /** For a bucket another merge holds. */
  waitsForBucket: boolean;
}

/**
 * Holds record_link in SHARE mode (a merge writes links at the end of its first chunk, after taking
 * its partitions) until the merges in progress, as pg_locks shows them, satisfy `seen`; returns them.
 */
async function holdMergesUntil(url: string, seen: (merges: MergeSeen[]) => boolean): Promise<MergeSeen[]> {
  return withClient(url, async (observer) => {
    await observer.query('BEGIN');
    await observer.query('LOCK TABLE record_link IN SHARE MODE');
    try {
      for (;;) {
        const { rows } = await observer.query(`
          SELECT coalesce(array_agg(a.objid::int ORDER BY a.objid) FILTER (WHERE a.objid <> 0 AND a.granted), '{}') AS buckets,
                 EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = a.pid AND w.locktype = 'relation' AND w.relation = 'record_link'::regclass AND NOT w.granted) AS "waitsToLink",
                 bool_or(a.objid <> 0 AND NOT a.granted) AS "waitsForBucket"
            FROM pg_locks a WHERE a.locktype = 'advisory' AND a.classid = $1 AND a.objsubid = 2
           GROUP BY a.pid HAVING bool_or(a.objid = 0 AND a.mode = 'ShareLock' AND a.granted)`, [MERGE_LOCK_CLASS]);
        if (seen(rows)) return rows;
        // Not a timing assertion: the merges get there whenever they do; the test's own timeout is the limit.
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } finally {
      await observer.query('COMMIT');
    }
  });
}

describe('merges lock only the partitions they reach (real PostgreSQL)', () => {
  let dir: string;
  let districts: string[];
  let overlapping: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-parallel-merge-'));
    await generateCity({ out: dir, seed: 'parallel-merge', members: 400, only: ['S1'] });
    const manifest = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
    const roster = readRoster(join(dir, manifest.files[0].file));
    const { header } = roster;
    const { name, idNumber: id, phone } = roster.column;
    const byDistrict = rowsByDistrict(roster);
    // A row's keys as written; a row whose key another district's rows have is left out of both.
    const keysOf = (row: string[]) => {
      const keys = personNameKeys(row[name].replace(/\s+/g, ''));
      return [`n:${keys.exact}`, `p:${keys.phonetic}`, `i:${row[id].slice(0, 17)}`, `t:${row[phone]}`].filter((k) => k.length > 2);
    };
    const owners = new Map<string, Set<string>>();
    for (const [district, list] of byDistrict) for (const row of list) for (const key of keysOf(row)) owners.set(key, new Set([...(owners.get(key) ?? []), district]));
    districts = [];
    let first: string[][] = [];
    let firstRest: string[][] = [];
    for (const [district, list] of [...byDistrict].sort(([a], [b]) => a.localeCompare(b))) {
      const alone = list.filter((row) => keysOf(row).every((key) => owners.get(key)!.size === 1));
      const own = alone.slice(0, ROWS_PER_DISTRICT);
      const file = join(dir, `党员信息_${district}.csv`);
      writeRoster(file, header, own);
      districts.push(file);
      if (first.length === 0) [first, firstRest] = [own, alone.slice(ROWS_PER_DISTRICT)];
    }
    // A later export of the first district that overlaps its first by half: the two share partitions.
    overlapping = join(dir, '党员信息_补充.csv');
    const half = Math.floor(first.length / 2);
    writeRoster(overlapping, header, [...first.slice(half), ...firstRest.slice(0, half)]);
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rosters of different districts merge at the same moment, each holding its own partitions', async () => {
    expect(districts.length).toBeGreaterThanOrEqual(2);
    let merges: MergeSeen[] = [];
    await importInto(districts, 2, async (url) => {
      merges = await holdMergesUntil(url, (seen) => seen.filter((m) => m.waitsToLink).length >= 2);
    });
    const held = merges.filter((m) => m.waitsToLink).map((m) => m.buckets);
    expect(held.length).toBe(2);
    for (const buckets of held) expect(buckets.length).toBeGreaterThan(ROWS_PER_DISTRICT);
    expect(held[0].filter((b) => held[1].includes(b))).toEqual([]);
  }, 240_000);

  it('two exports of one district wait for each other on the partitions they share, and give the registry one after the other gives', async () => {
    const pair = [districts[0], overlapping];
    let merges: MergeSeen[] = [];
    const together = await importInto(pair, 2, async (url) => {
      merges = await holdMergesUntil(url, (seen) => seen.some((m) => m.waitsToLink) && seen.some((m) => m.waitsForBucket));
    });
    const [first, second] = [merges.find((m) => m.waitsToLink)!, merges.find((m) => m.waitsForBucket)!];
    expect(first).not.toBe(second);
    expect(second.buckets.filter((b) => first.buckets.includes(b))).toEqual([]);
    expect(together).toEqual(await importInto([...pair].reverse(), 1));
  }, 240_000);

  it('the same files, district rosters and an overlapping export, give one registry imported one by one or two at a time, in any order', async () => {
    const files = [...districts, overlapping];
    const serial = await importInto(shuffled(files, 7), 1);
    const together = await importInto(shuffled(files, 11), 2);
    expect(serial.persons.length).toBeGreaterThan(districts.length * ROWS_PER_DISTRICT * 0.8);
    expect(serial.reviewTasks.length + serial.memberships.length).toBeGreaterThan(0);
    expect(together).toEqual(serial);
  }, 360_000);

  it('a merge that finds it needs a bucket or the whole registry takes it when free, else starts over with it locked in order', async () => {
    const database = await createTestDatabase();
    const app = await startRegistry('in-process');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const [merging, other] = [dataSource.createQueryRunner(), dataSource.createQueryRunner()];
    try {
      await merging.startTransaction();
      await other.startTransaction();
      const partitions = await MergePartitions.lock(merging.manager, planFor(['n:a']));
      // Another merge holds the bucket of n:b.
      await MergePartitions.lock(other.manager, planFor(['n:b']));
      await partitions.ensure(['n:a', 'n:c'], 'test');
      expect(partitions.owns('n:c')).toBe(true);
      const outgrown = await partitions.ensure(['n:b'], 'test').catch((err: unknown) => err);
      expect(outgrown).toBeInstanceOf(PartitionsOutgrown);
      expect((outgrown as PartitionsOutgrown).plan).toEqual(widen(planFor(['n:a', 'n:c']), planFor(['n:b'])));
      expect(partitions.owns('n:b')).toBe(false);
      // The other merge holds the gate shared: the whole registry is not to be had without waiting.
      await expect(partitions.ensureWhole('test')).rejects.toBeInstanceOf(PartitionsOutgrown);
      await other.commitTransaction();
      await partitions.ensureWhole('test');
      expect(partitions.whole).toBe(true);
      expect(partitions.owns('n:b')).toBe(true);
    } finally {
      if (merging.isTransactionActive) await merging.rollbackTransaction();
      if (other.isTransactionActive) await other.rollbackTransaction();
      await merging.release();
      await other.release();
      await app.close();
      await database.drop();
    }
  }, 120_000);

  it('a change-feed reader never passes an entry a merge still open may commit', async () => {
    const database = await createTestDatabase();
    const app = await startRegistry('in-process');
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const recorder = app.get(ChangeRecorder);
    // Reads on the pool's other connections, as the API does.
    const feed = new ChangeFeedQuery(readDatabaseOf(dataSource));
    const early = dataSource.createQueryRunner();
    const late = dataSource.createQueryRunner();
    const entry = (entityId: string) => ({ entityType: 'person', entityId, action: 'update' as const, changes: { name: ['a', 'b'] as [unknown, unknown] }, actor: 'test' });
    try {
      let before: string | undefined;
      for (let page = await feed.list({ limit: 1000 }); ; page = await feed.list({ after: before, limit: 1000 })) {
        before = page.nextCursor ?? undefined;
        if (!page.hasMore) break;
      }
      await early.startTransaction();
      await recorder.record(early.manager, [entry('early')]);
      await late.startTransaction();
      await recorder.record(late.manager, [entry('late')]);
      await late.commitTransaction();
      // A writer writing the feed again (a merge, chunk after chunk) keeps its first mark and takes no other.
      await recorder.record(early.manager, [entry('early-again')]);
      const [{ marks }] = await early.query(`SELECT count(*)::int AS marks FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND pid = pg_backend_pid()`, [FEED_LOCK_CLASS]);
      expect(marks).toBe(1);
      // The later position is committed, the earlier not yet: a reader stops before both.
      const whileOpen = await feed.list({ after: before, limit: 100 });
      expect(whileOpen.items.map((i) => i.entityId)).toEqual([]);
      await early.commitTransaction();
      const after = await feed.list({ after: whileOpen.nextCursor ?? undefined, limit: 100 });
      expect(after.items.map((i) => i.entityId)).toEqual(['early', 'late', 'early-again']);
    } finally {
      await early.release();
      await late.release();
      await app.close();
      await database.drop();
    }
  }, 120_000);
});

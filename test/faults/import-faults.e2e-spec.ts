import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateCity } from '../../etl/generate';
import { accountingAddsUp, ImportsService } from '../../libs/ingestion/src';
import { JobQueue } from '../../libs/jobs/src';
import { HEXI, writeS6, XINGKANG } from '../support/fixtures';
import { startRegistry } from '../support/registry-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { Child, freePort, startProducer, startRedis, startWorker } from './processes';
import { batchLedger, batchProgress, registrySnapshot, RegistrySnapshot } from './registry-snapshot';

/** Large enough that staging takes seconds at chunks of 100 rows, small enough for a shared 2-core machine. */
const MEMBERS = 4000;

interface Fault {
  url: string;
  dbName: string;
  /** The roster's batch: the big one, which the fault hits mid-way. */
  batchId: string;
  worker: Child;
  /** Starts a fresh worker in place of the current one (after a kill). */
  restartWorker(): Promise<Child>;
}

/** Polls until the batch is in `status` with some but not all of its rows done (or just in `status` when done is not asked). */
async function until(url: string, batchId: string, test: (p: { status: string; done: number; total: number | null }) => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await batchProgress(url, batchId);
    if (test(progress)) return progress;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} never reached: ${what} (last: ${JSON.stringify(progress)})`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

type Counts = { rows: number; accepted: number; rejected: number; skipped: number };

describe('exactly-once imports under faults (apps/worker in a child process, real PostgreSQL and Redis)', () => {
  let dir: string;
  /** A roster big enough to take seconds, then a small file whose job waits in the queue meanwhile. */
  let files: string[];
  let baseline: RegistrySnapshot;
  let baselineRows: Counts[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-faults-'));
    await generateCity({ out: dir, seed: 'faults', members: MEMBERS, only: ['S1'] });
    const manifest = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
    files = [join(dir, manifest.files[0].file), writeS6([XINGKANG, HEXI])];
    // The same files imported without interruption, into a database of their own.
    const database = await createTestDatabase();
    const app = await startRegistry('in-process');
    try {
      const imports = app.get(ImportsService);
      baselineRows = [];
      for (const file of files) {
        const summary = await imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50);
        expect(summary.status).toBe('completed');
        baselineRows.push({ rows: summary.rows, accepted: summary.accepted, rejected: summary.rejected, skipped: summary.skipped });
      }
      baseline = await registrySnapshot(database.url);
    } finally {
      await app.close();
      await database.drop();
    }
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Imports the files through a worker process, lets `injectFault` break something mid-batch, and checks the outcome against the baseline. */
  async function importThroughFault(redisUrl: string, injectFault: (fault: Fault) => Promise<void>): Promise<void> {
    const database: TestDatabase = await createTestDatabase();
    const producer = await startProducer(redisUrl);
    const env = {
      DATABASE_URL: database.url, REDIS_URL: redisUrl, QC_QUEUE_PREFIX: database.name,
      QC_IMPORT_CHUNK_ROWS: '100', QC_JOB_BACKOFF_MS: '300', QC_IMPORT_RECOVERY_MS: '1000', LOG_LEVEL: 'info',
    };
    let worker = await startWorker(env);
    try {
      const batches = [];
      for (const file of files) batches.push(await producer.get(ImportsService).submit(file, 'test'));
      await injectFault({
        url: database.url, dbName: database.name, batchId: batches[0].id, worker,
        restartWorker: async () => (worker = await startWorker(env)),
      });
      for (const [i, batch] of batches.entries()) {
        const final = await until(database.url, batch.id, (p) => !['queued', 'staging', 'merging'].includes(p.status), 'a final status', 150_000);
        expect(final.status).toBe('completed');
        const ledger = await batchLedger(database.url, batch.id);
        expect(accountingAddsUp(ledger)).toBe(true);
        expect({ rows: ledger.rows, accepted: ledger.accepted, rejected: ledger.rejected, skipped: ledger.skipped }).toEqual(baselineRows[i]);
        // Every row of the file staged once, every accepted record applied (linked) once.
        expect(ledger.records).toBe(ledger.rows);
        expect(ledger.distinctRefs).toBe(ledger.rows);
        expect(ledger.linkedRecords).toBe(ledger.accepted);
      }

      const snapshot = await registrySnapshot(database.url);
      expect({ persons: snapshot.persons, organizations: snapshot.organizations, memberships: snapshot.memberships })
        .toEqual({ persons: baseline.persons, organizations: baseline.organizations, memberships: baseline.memberships });
      expect(snapshot.people).toEqual(baseline.people);
    } catch (err) {
      process.stderr.write(`worker output:\n${worker.output().slice(-4000)}\n`);
      throw err;
    } finally {
      await worker.stop();
      await producer.close();
      await database.drop();
    }
  }

  it('a CLI sees a worker process as a consumer, and its own idle BullMQ worker not', async () => {
    const database = await createTestDatabase();
    const cli = await startProducer(process.env.REDIS_URL!, 'on-demand');
    let worker: Child | null = null;
    try {
      expect(await cli.get(JobQueue).consumersOnline()).toBe(false);
      worker = await startWorker({ DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL!, QC_QUEUE_PREFIX: database.name });
      // The worker logs that it consumes a moment before its Redis connection shows in the client list.
      expect(await becomesTrue(() => cli.get(JobQueue).consumersOnline(), 10_000)).toBe(true);
    } finally {
      await worker?.stop();
      await cli.close();
      await database.drop();
    }
  }, 120_000);

  // Staging counts the bytes of the file read, of its size.
  const midStaging = (p: { status: string; done: number; total: number | null }) => p.status === 'staging' && p.done > 0 && p.done < p.total!;

  it('a worker killed with SIGKILL in the middle of a batch and started again completes it exactly once', async () => {
    await importThroughFault(process.env.REDIS_URL!, async ({ url, batchId, worker, restartWorker }) => {
      const seen = await until(url, batchId, midStaging, 'bytes read > 0 and < the file size');
      await worker.kill();
      expect(seen.done).toBeGreaterThan(0);
      // Nothing moves while no worker runs.
      const frozen = await batchProgress(url, batchId);
      expect(frozen.status).toBe('staging');
      await restartWorker();
    });
  }, 300_000);

  it('a Redis restarted (without persistence: every job lost, the waiting one too) in the middle of a batch: both batches complete exactly once', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    try {
      await importThroughFault(`redis://127.0.0.1:${port}`, async ({ url, batchId }) => {
        await until(url, batchId, midStaging, 'bytes read > 0 and < the file size');
        await redis.kill();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        redis = await startRedis(port);
      });
    } finally {
      await redis.kill();
    }
  }, 300_000);

  it('PostgreSQL connections of the worker dropped while staging and while merging: the batch completes exactly once', async () => {
    await importThroughFault(process.env.REDIS_URL!, async ({ url, dbName, batchId }) => {
      const admin = new Client({ connectionString: process.env.QC_TEST_ADMIN_URL });
      await admin.connect();
      // The worker's connections (application_name qingcheng), not the test's own observers.
      const dropWorkerConnections = async () => (await admin.query(
        `SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'qingcheng') t`, [dbName])).rows[0].n as number;
      try {
        await until(url, batchId, midStaging, 'bytes read > 0 and < the file size');
        expect(await dropWorkerConnections()).toBeGreaterThan(0);
        await until(url, batchId, (p) => p.status === 'merging', 'merging');
        await dropWorkerConnections();
      } finally {
        await admin.end();
      }
    });
  }, 300_000);
});

/** Polls a condition until it holds or the time is up; returns its last answer. */
async function becomesTrue(condition: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

import { TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportsService } from '../../libs/ingestion/src';
import { deflateChunks, workbookParts, writeZip } from '../hostile/zip-writer';
import { HEXI, writeS6, XINGKANG } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { PRODUCTION_WORKER_NODE_OPTIONS, startProducer, superviseWorker, SupervisedWorker } from './processes';
import { withClient } from './registry-snapshot';

const STRINGS = 28_000;
const STRING_CHARS = 32_000;
/** Each string repeats a random run this long: the part compresses about 60:1, under the ratio limit, as the workbook of issue 16 did. */
const RUN_CHARS = 512;

/**
 * The workbook of issue 16: a shared-strings part of 28,000 strings of 32,000 characters (895 MB
 * inflated, about 14 MB on disk), deflated as it is generated: only the compressed part is held.
 */
async function writeSharedStringsWorkbook(path: string): Promise<void> {
  let state = 16;
  const letter = () => String.fromCharCode(97 + ((state = (state * 1103515245 + 12345) & 0x7fffffff) % 26));
  function* parts(): Iterable<Buffer> {
    yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${STRINGS}" uniqueCount="${STRINGS}">`);
    for (let i = 0; i < STRINGS; i++) {
      const run = Array.from({ length: RUN_CHARS }, letter).join('');
      yield Buffer.from(`<si><t>${run.repeat(STRING_CHARS / RUN_CHARS)}</t></si>`);
    }
    yield Buffer.from('</sst>');
  }
  const sheet = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    + '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>';
  writeZip(path, workbookParts(sheet, await deflateChunks(parts())));
}

interface Outcome { status: string; error: string | null; attempts: number }

describe('a workbook whose shared strings exhaust the worker (issue 16), against apps/worker under its production heap cap', () => {
  let dir: string;
  let hostile: string;
  let good: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-poison-'));
    hostile = join(dir, '党员花名册_共享字符串.xlsx');
    await writeSharedStringsWorkbook(hostile);
    good = writeS6([XINGKANG, HEXI]);
  }, 180_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is built as the issue describes: about 14 MB on disk', () => {
    expect(statSync(hostile).size).toBeGreaterThan(10_000_000);
    expect(statSync(hostile).size).toBeLessThan(20_000_000);
  });

  /** Submits the hostile workbook, then a good file, to a supervised worker; returns both batches' outcomes once final. */
  async function importBoth(env: Record<string, string>): Promise<{ hostile: Outcome; good: Outcome; unfinished: number; worker: SupervisedWorker }> {
    const database: TestDatabase = await createTestDatabase();
    let producer: TestingModule | null = null;
    let worker: SupervisedWorker | null = null;
    try {
      producer = await startProducer(process.env.REDIS_URL!);
      worker = await superviseWorker({
        DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_URL!, QC_QUEUE_PREFIX: database.name,
        QC_IMPORT_RECOVERY_MS: '1000', QC_JOB_BACKOFF_MS: '300', LOG_LEVEL: 'info', ...env,
      }, PRODUCTION_WORKER_NODE_OPTIONS);
      const imports = producer.get(ImportsService);
      const hostileBatch = await imports.submit(hostile, 'test');
      const goodBatch = await imports.submit(good, 'test');
      const [hostileOutcome, goodOutcome] = [await finalOutcome(database.url, hostileBatch.id), await finalOutcome(database.url, goodBatch.id)];
      const unfinished = await withClient(database.url, async (client) =>
        (await client.query(`SELECT count(*)::int AS n FROM import_batch WHERE status IN ('queued', 'staging', 'merging')`)).rows[0].n as number);
      return { hostile: hostileOutcome, good: goodOutcome, unfinished, worker };
    } catch (err) {
      process.stderr.write(`worker output:\n${worker?.output().slice(-4000)}\n`);
      throw err;
    } finally {
      await worker?.stop();
      await producer?.close();
      await database.drop();
    }
  }

  it('refuses it before loading the strings: the batch fails naming the file and the memory it needs, the worker never stops, the next file imports', async () => {
    const { hostile: refused, good: imported, unfinished, worker } = await importBoth({});
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/^workbook 党员花名册_共享字符串\.xlsx: the workbook's shared strings need more memory than the worker has: \d+ MB/);
    expect(refused.attempts).toBe(1);
    expect(worker.exits()).toBe(0);
    expect(imported.status).toBe('completed');
    expect(unfinished).toBe(0);
  }, 600_000);

  it('with the bound lifted, it kills the worker: after three attempts the batch fails with the reason, and the next file imports', async () => {
    const { hostile: failed, good: imported, unfinished, worker } = await importBoth({ QC_IMPORT_MAX_SHARED_STRING_CHARS: '2000000000' });
    expect(worker.exits()).toBeGreaterThanOrEqual(3);
    expect(worker.output()).toMatch(/heap limit|heap out of memory/i);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('党员花名册_共享字符串.xlsx: the worker stopped 3 times while reading this file: it may need more memory than the worker has');
    expect(imported.status).toBe('completed');
    expect(unfinished).toBe(0);
  }, 900_000);
});

/** Polls until the batch is final. */
async function finalOutcome(url: string, batchId: string, timeoutMs = 600_000): Promise<Outcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await withClient(url, async (client) =>
      (await client.query('SELECT status, error, attempts FROM import_batch WHERE id = $1', [batchId])).rows[0] as Outcome);
    if (!['queued', 'staging', 'merging'].includes(batch.status)) return batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} is still ${batch.status} after ${timeoutMs} ms (${batch.attempts} attempts)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

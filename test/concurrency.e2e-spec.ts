import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { parse } from 'csv-parse/sync';
import { decode } from 'iconv-lite';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { generateCity } from '../etl/generate';
import { ApiKeysService } from '../libs/auth/src';
import { accountingAddsUp, ImportsService, InboxService } from '../libs/ingestion/src';
import { LOGGER } from '../libs/logging/src';
import { lockRegistry } from '../libs/registry/src';
import { MergeHandler } from '../libs/ingestion/src/merge.handler';
import { StageHandler } from '../libs/ingestion/src/stage.handler';
import { batchLedger, batchProgress, registrySnapshot, RegistrySnapshot } from './faults/registry-snapshot';
import { startRegistry, startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const quoted = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

/** Imports `files` into a fresh database, all at once or one after the other, and returns what the registry holds. */
async function importInto(files: string[], together: boolean): Promise<RegistrySnapshot> {
  const database = await createTestDatabase();
  // Two jobs at a time in this process: the stages really run side by side.
  process.env.QC_IMPORT_CONCURRENCY = '2';
  const app = await startRegistry('in-process');
  try {
    const imports = app.get(ImportsService);
    const run = async (file: string) => imports.waitFor((await imports.submit(file, 'test')).id, undefined, 50);
    const summaries = together ? await Promise.all(files.map(run)) : await files.reduce(async (done, f) => [...await done, await run(f)], Promise.resolve([] as Awaited<ReturnType<typeof run>>[]));
    for (const s of summaries) {
      expect(s.status).toBe('completed');
      expect(accountingAddsUp(s)).toBe(true);
    }
    return await registrySnapshot(database.url);
  } finally {
    delete process.env.QC_IMPORT_CONCURRENCY;
    await app.close();
    await database.drop();
  }
}

describe('concurrent imports and reads (real PostgreSQL)', () => {
  let dir: string;
  let halves: string[];
  let roster: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-concurrency-'));
    await generateCity({ out: dir, seed: 'concurrency', members: 1500, only: ['S1'] });
    const manifest = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
    roster = join(dir, manifest.files[0].file);
    // The same roster split into two halves that overlap by a fifth of its rows.
    const [header, ...rows] = parse(decode(readFileSync(roster), 'gb18030')) as string[][];
    const cut = (from: number, to: number) => `\uFEFF${[header, ...rows.slice(Math.floor(rows.length * from), Math.floor(rows.length * to))].map(quoted).join('\r\n')}\r\n`;
    halves = [join(dir, '党员信息_上.csv'), join(dir, '党员信息_下.csv')];
    writeFileSync(halves[0], cut(0, 0.6));
    writeFileSync(halves[1], cut(0.4, 1));
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('two overlapping imports started at the same time give the registry that importing them one after the other gives', async () => {
    const sequential = await importInto(halves, false);
    const parallel = await importInto(halves, true);
    expect(parallel.persons).toBeGreaterThan(1000);
    expect({ persons: parallel.persons, organizations: parallel.organizations, memberships: parallel.memberships })
      .toEqual({ persons: sequential.persons, organizations: sequential.organizations, memberships: sequential.memberships });
    expect(parallel.people).toEqual(sequential.people);
  }, 240_000);

  it('a merge waits while the whole registry is locked (as by a rollback), and a stage or merge job delivered twice (as after Redis lost it) does its work once', async () => {
    const database = await createTestDatabase();
    const app = await startRegistry('in-process');
    const holder = new Client({ connectionString: database.url });
    await holder.connect();
    const context = { attempt: 1, willRetry: false, progress: async () => undefined };
    try {
      await holder.query('BEGIN');
      await lockRegistry(holder);
      const imports = app.get(ImportsService);
      const batch = await imports.submit(halves[0], 'test');
      // A second delivery of the stage job, side by side with the queued one.
      const secondStage = app.get(StageHandler).stage({ batchId: batch.id }, context);
      const deadline = Date.now() + 60_000;
      while ((await batchProgress(database.url, batch.id)).status !== 'merging') {
        if (Date.now() > deadline) throw new Error('the batch never reached merging');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await secondStage;
      // The queued merge waits on the lock (its gate, shared, against the exclusive one held here); so does a second delivery of it.
      const secondMerge = app.get(MergeHandler).merge({ batchId: batch.id }, context);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await batchProgress(database.url, batch.id)).status).toBe('merging');
      await holder.query('COMMIT');
      await secondMerge;
      expect((await imports.waitFor(batch.id, undefined, 50)).status).toBe('completed');
      const ledger = await batchLedger(database.url, batch.id);
      expect(accountingAddsUp(ledger)).toBe(true);
      expect({ records: ledger.records, refs: ledger.distinctRefs, linked: ledger.linkedRecords })
        .toEqual({ records: ledger.rows, refs: ledger.rows, linked: ledger.accepted });
    } finally {
      await holder.end();
      await app.close();
      await database.drop();
    }
  }, 120_000);

  it('a scheduled inbox import runs while an API client reads divisions and imports, and every read answers', async () => {
    const database = await createTestDatabase();
    const registry: TestingModule = await startRegistry('in-process');
    const api: NestFastifyApplication = await startApi();
    try {
      const key = (await api.get(ApiKeysService).create('dashboard', ['registry:read', 'imports:write'], 'test')).key;
      const root = mkdtempSync(join(dir, 'inbox-'));
      const inbox = { name: 'members', folder: join(root, 'in'), cron: '* * * * *', archiveFolder: join(root, 'archive'), quarantineFolder: join(root, 'quarantine') };
      mkdirSync(inbox.folder);
      const dropped = join(inbox.folder, '党员信息导出.csv');
      writeFileSync(dropped, readFileSync(roster));
      utimesSync(dropped, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      const inboxes = new InboxService(registry.get(ImportsService), registry.get<DataSource>(getDataSourceToken()), registry.get(LOGGER));

      let passDone = false;
      const pass = inboxes.runPass(inbox).finally(() => { passDone = true; });
      const statuses: number[] = [];
      const seenBatchStates = new Set<string>();
      while (!passDone) {
        for (const url of ['/v1/divisions/150105001019', '/v1/imports?limit=5']) {
          const response = await api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
          statuses.push(response.statusCode);
          if (url.startsWith('/v1/imports')) for (const b of response.json().items) seenBatchStates.add(b.status);
        }
      }
      const outcomes = await pass;
      expect(outcomes?.map((o) => o.status)).toEqual(['completed']);
      expect(statuses.length).toBeGreaterThan(4);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      // The reads saw the import under way, not only before and after it.
      expect([...seenBatchStates].some((s) => ['queued', 'staging', 'merging'].includes(s))).toBe(true);
    } finally {
      await api.close();
      await registry.close();
      await database.drop();
    }
  }, 180_000);
});

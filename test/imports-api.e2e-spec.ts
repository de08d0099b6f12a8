import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { get as httpGet, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BatchEvents } from '../apps/api/src/imports/batch-events';
import { ApiKeysService } from '../libs/auth/src';
import { FINAL_BATCH_STATUSES } from '../libs/database/src';
import { DivisionsService } from '../libs/divisions/src';
import { ImportsService, InboxService } from '../libs/ingestion/src';
import { LOGGER } from '../libs/logging/src';
import { HEXI, writeS6, XINGKANG } from './support/fixtures';
import { validCitizenId, writeS1, XINGKANG_COMMITTEE } from './support/member-roster';
import { startRegistry, startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const UPLOAD_LIMIT = 2 * 1024 * 1024;
/** Rows per staging write: small, so that a few thousand rows are read in many steps. */
const CHUNK_ROWS = 200;

/** A roster of n distinct members of the 兴康 committee, each with a valid ID of their own. */
function roster(n: number): string[] {
  const family = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';
  const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国文斌宇浩';
  return Array.from({ length: n }, (_, i) => {
    const name = `${family[i % family.length]}${given[Math.floor(i / family.length) % given.length]}${given[Math.floor(i / (family.length * given.length)) % given.length]}`;
    const birth = `19${60 + (i % 40)}0${1 + (i % 9)}1${i % 10}`;
    const id = validCitizenId('150105', birth, String(i % 1000).padStart(3, '0'));
    return `${i + 1},${name},${i % 2 ? '女' : '男'},汉族,${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)},${id},大学,正式党员,2001-07-01,2002-07-01,${XINGKANG_COMMITTEE},,,`;
  });
}

interface ServerSentEvent { event: string; data: string }

/** The events of a text/event-stream body (comment lines, the keep-alives, are not events). */
function eventsOf(text: string): ServerSentEvent[] {
  return text.split('\n\n').filter((block) => block.trim() && !block.startsWith(':')).map((block) => {
    const fields = Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]));
    return { event: fields.event, data: fields.data };
  });
}
const BAD_CODE = '15010500101,坏代码社区,人民路街道,赛罕区,100,200,10,1,2,某人,1';

/** A multipart/form-data body with one file part, as a browser or curl -F sends it. */
function multipart(content: Buffer, filename: string, field = 'file') {
  const boundary = `----qc${randomUUID()}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('imports API (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: NestFastifyApplication;
  let consumer: TestingModule | null;
  let importKey: string;
  let readKey: string;
  let watchKey: string;
  let inboxRoot: string;

  const auth = (key: string | null) => (key ? { authorization: `Bearer ${key}` } : {});
  const get = (url: string, key = importKey) => app.inject({ method: 'GET', url, headers: auth(key) });
  const upload = (content: Buffer, filename: string, key: string | null = importKey, field = 'file') => {
    const body = multipart(content, filename, field);
    return app.inject({ method: 'POST', url: '/v1/imports', payload: body.payload, headers: { ...body.headers, ...auth(key) } });
  };
  const s6 = (lines: string[]) => readFileSync(writeS6(lines));

  async function untilFinal(id: string): Promise<Record<string, any>> {
    for (let i = 0; i < 200; i++) {
      const body = (await get(`/v1/imports/${id}`)).json();
      if (FINAL_BATCH_STATUSES.includes(body.status)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`batch ${id} did not finish`);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'qc-api-data-'));
    process.env.QC_DATA_DIR = dataDir;
    process.env.QC_MAX_UPLOAD_BYTES = String(UPLOAD_LIMIT);
    process.env.QC_IMPORT_CHUNK_ROWS = String(CHUNK_ROWS);
    inboxRoot = mkdtempSync(join(tmpdir(), 'qc-api-inbox-'));
    process.env.QC_INBOXES = JSON.stringify([{ name: 'civil-affairs', folder: join(inboxRoot, 'in'), cron: '*/5 * * * *', archiveFolder: join(inboxRoot, 'archive'), quarantineFolder: join(inboxRoot, 'quarantine') }]);
    app = await startApi();
    await app.get(DivisionsService).seedReference();
    // The API only enqueues: with Redis a worker consumes the jobs; without it, the API's own in-process queue runs them.
    consumer = process.env.REDIS_URL ? await startRegistry('bullmq') : null;
    const keys = app.get(ApiKeysService);
    importKey = (await keys.create('importer', ['imports:write'], 'test')).key;
    readKey = (await keys.create('reader', ['registry:read'], 'test')).key;
    watchKey = (await keys.create('monitor', ['imports:read'], 'test')).key;
  }, 30_000);

  afterAll(async () => {
    await consumer?.close();
    await app.close();
    await database.drop();
    delete process.env.QC_DATA_DIR;
    delete process.env.QC_MAX_UPLOAD_BYTES;
    delete process.env.QC_IMPORT_CHUNK_ROWS;
    delete process.env.QC_INBOXES;
  });

  it('takes an upload, stores it under its own folder, and the batch completes with counts that add up', async () => {
    const response = await upload(s6([XINGKANG, BAD_CODE, '合计,,,,9859,23605,4072,14,170,,24', HEXI]), '社区基本情况统计表.csv');
    expect(response.statusCode).toBe(202);
    const queued = response.json();
    expect(queued).toMatchObject({ file: '社区基本情况统计表.csv', trigger: 'api', status: expect.stringMatching(/queued|staging|merging/) });
    const stored = readdirSync(join(dataDir, 'uploads')).map((folder) => readdirSync(join(dataDir, 'uploads', folder)));
    expect(stored).toContainEqual(['社区基本情况统计表.csv']);

    const batch = await untilFinal(queued.id);
    expect(batch).toMatchObject({ status: 'completed', sourceKind: 'S6', error: null, finishedAt: expect.any(String) });
    const { counts } = batch;
    expect(counts).toMatchObject({ rows: 4, accepted: 2, rejected: 1, skipped: 1, matched: 2 });
    expect(counts.rows).toBe(counts.accepted + counts.rejected + counts.skipped);
    // Done: every row read accounted for.
    expect(batch.progress).toEqual({ phase: 'done', done: 4, total: 4, unit: 'rows', etaSeconds: null, phaseStartedAt: batch.finishedAt });
    expect(Object.values(batch.layout)).toEqual([expect.stringContaining('社区代码 → communityCode')]);
    expect(batch.sheets).toEqual([expect.objectContaining({ sheet: null, status: 'imported', kind: 'community-basics', ignored: [], warnings: [] })]);
    expect(batch.sheets[0].used).toContainEqual({ header: '专职社区工作者数', field: 'fullTimeWorkers', label: '专职社区工作者数', evidence: 'header+values' });
    expect(batch.firstRejections).toEqual([
      expect.objectContaining({ recordRef: '3', column: '社区代码', reason: expect.any(String), raw: expect.objectContaining({ 社区名称: '坏代码社区' }) }),
    ]);
  });

  it('pages through a batch\'s rejections in a stable order', async () => {
    const bad = Array.from({ length: 5 }, (_, i) => BAD_CODE.replace('坏代码社区', `坏代码社区${i}`));
    const { id } = (await upload(s6(bad), 'five-bad.csv')).json();
    expect((await untilFinal(id)).counts.rejected).toBe(5);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; raw: Record<string, string> }[]; nextCursor: string | null } =
        (await get(`/v1/imports/${id}/rejections?limit=2${cursor ? `&after=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.raw['社区名称']));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(bad.map((_, i) => `坏代码社区${i}`));

    for (const query of ['limit=0', 'limit=1001', 'limit=ten', 'after=abc', 'sort=id']) {
      const response = await get(`/v1/imports/${id}/rejections?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'bad_request', details: expect.any(Array) });
    }
  });

  it('keeps an uploaded file only until its batch ends, and clears away uploads no batch claimed', async () => {
    const first = (await upload(s6([HEXI]), 'ended.csv')).json();
    await untilFinal(first.id);
    const stray = join(dataDir, 'uploads', 'stray-upload');
    mkdirSync(stray);
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(stray, twoHoursAgo, twoHoursAgo);

    const second = (await upload(s6([XINGKANG]), 'running.csv')).json();
    const kept = readdirSync(join(dataDir, 'uploads'));
    expect(kept).not.toContain('stray-upload');
    const files = kept.flatMap((folder) => readdirSync(join(dataDir, 'uploads', folder)));
    expect(files).toContain('running.csv');
    expect(files).not.toContain('ended.csv');
    await untilFinal(second.id);
  });

  it('lists batches newest first, page by page', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; createdAt: string }[]; nextCursor: string | null } =
        (await get(`/v1/imports?limit=1${cursor ? `&after=${cursor}` : ''}`)).json();
      ids.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await get('/v1/imports')).json();
    expect(all.nextCursor).toBeNull();
    expect(ids).toEqual(all.items.map((b: { id: string }) => b.id));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const created = all.items.map((b: { createdAt: string }) => b.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    expect((await get('/v1/imports?after=not-a-uuid')).statusCode).toBe(400);
  });

  it('answers 404 for an unknown or malformed batch id', async () => {
    for (const url of [`/v1/imports/${randomUUID()}`, '/v1/imports/not-a-uuid', `/v1/imports/${randomUUID()}/rejections`, '/v1/imports/1%20OR%201=1/rejections']) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'not_found', message: expect.any(String), details: null });
    }
  });

  it('needs a key with imports:write to upload, and one with imports:read to list', async () => {
    const file = s6([XINGKANG]);
    const anonymous = await upload(file, 'a.csv', null);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'unauthorized' });
    const reader = await upload(file, 'a.csv', readKey);
    expect(reader.statusCode).toBe(403);
    expect(reader.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('imports:write') });
    expect((await get('/v1/imports', readKey)).statusCode).toBe(403);
  });

  it('streams uploads past the 1 MiB body limit, and answers 413 over the upload limit, keeping nothing', async () => {
    const filler = (bytes: number) => Buffer.from(`甲,乙\r\n${'x'.repeat(bytes)}\r\n`);
    const large = await upload(filler(UPLOAD_LIMIT - 1024), 'large.csv');
    expect(large.statusCode).toBe(202);
    expect(large.json().bytes).toBeGreaterThan(1024 * 1024);

    const before = readdirSync(join(dataDir, 'uploads')).length;
    const tooLarge = await upload(filler(UPLOAD_LIMIT + 1), 'too-large.csv');
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toEqual({ code: 'payload_too_large', message: `the file is larger than the upload limit of ${UPLOAD_LIMIT} bytes`, details: null });
    expect(readdirSync(join(dataDir, 'uploads'))).toHaveLength(before);
  });

  it('keeps only a safe last segment of the name the client sent', async () => {
    for (const [sent, kept] of [['../../etc/passwd', 'passwd'], ['..\\..\\社区.csv', '社区.csv'], ['..', 'upload']]) {
      const response = await upload(s6([HEXI]), sent);
      expect(response.statusCode).toBe(202);
      const { id, file } = response.json();
      expect(file).toBe(kept);
      await untilFinal(id);
    }
    expect(existsSync(join(dataDir, 'etc'))).toBe(false);
    for (const folder of readdirSync(join(dataDir, 'uploads'))) {
      for (const name of readdirSync(join(dataDir, 'uploads', folder))) expect(name).not.toMatch(/^\.|[/\\]/);
    }
  });

  it('keeps and shows a file name with its ID number or phone masked: batch, API, quality report, error and the stored file', async () => {
    const id = '150105198503121234';
    const phone = '13912345678';
    const good = (await upload(s6([HEXI, XINGKANG]), `兴康_${id}.csv`)).json();
    expect(good.file).toBe('兴康_******************.csv');
    const refused = (await upload(Buffer.from([0, 1, 2, 3, 0, 0, 0, 7, 8, 9, 0, 0]), `联系人${phone}.csv`)).json();
    expect(refused.file).toBe('联系人***********.csv');
    expect(await untilFinal(refused.id)).toMatchObject({ status: 'refused', error: expect.stringContaining('联系人***********.csv') });
    await untilFinal(good.id);

    const shown = [
      (await get('/v1/imports')).body, (await get(`/v1/imports/${refused.id}`)).body,
      (await get('/v1/reports/quality.json', readKey)).body,
      JSON.stringify(await app.get(DataSource).query('SELECT file_name, file_path, error FROM import_batch')),
      readdirSync(join(dataDir, 'uploads'), { recursive: true }).join('\n'),
    ].join('\n');
    expect(shown).toContain('兴康_******************.csv');
    expect(shown).not.toContain(id);
    expect(shown).not.toContain(phone);
  });

  it('refuses a body that is not multipart, or has no file field', async () => {
    const json = await app.inject({ method: 'POST', url: '/v1/imports', payload: { file: 'x' }, headers: auth(importKey) });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'unsupported_media_type' });
    const wrongField = await upload(s6([HEXI]), 'a.csv', importKey, 'upload');
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json()).toMatchObject({ code: 'bad_request', message: expect.stringContaining('"file"') });
  });

  it('shows progress through every phase, seen from another connection: bytes read of the file, then records matched of the accepted, then done', async () => {
    const path = writeS1(roster(3000), '党员信息导出_进度.csv');
    const size = statSync(path).size;
    const watcher = new Client({ connectionString: process.env.DATABASE_URL });
    await watcher.connect();
    try {
      const { id } = (await upload(readFileSync(path), '党员信息导出_进度.csv')).json();
      const seen: { status: string; phase: string | null; done: number; total: number | null; started: Date | null }[] = [];
      for (let i = 0; i < 6000; i++) {
        const [row] = (await watcher.query(
          'SELECT status, progress_phase AS phase, progress_done::float8 AS done, progress_total::float8 AS total, progress_phase_started_at AS started FROM import_batch WHERE id = $1', [id])).rows;
        const last = seen[seen.length - 1];
        if (!last || last.status !== row.status || last.phase !== row.phase || last.done !== row.done) seen.push(row);
        if (FINAL_BATCH_STATUSES.includes(row.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const reading = seen.filter((s) => s.phase === 'reading');
      const matching = seen.filter((s) => s.phase === 'matching' && s.status === 'merging');
      // Phases come in order, never back.
      const order = ['reading', 'matching', 'merging'];
      const phases = seen.map((s) => s.phase).filter((p): p is string => p !== null);
      expect(phases.map((p) => order.indexOf(p))).toEqual([...phases.map((p) => order.indexOf(p))].sort((a, b) => a - b));
      // Reading: bytes of the file, its size known throughout, moving forward in several steps.
      expect(reading.every((s) => s.total === size)).toBe(true);
      expect(new Set(reading.map((s) => s.done)).size).toBeGreaterThanOrEqual(3);
      expect(reading.map((s) => s.done)).toEqual([...reading.map((s) => s.done)].sort((a, b) => a - b));
      expect(Math.max(...reading.map((s) => s.done))).toBeLessThanOrEqual(size);
      // Matching: records of the 3,000 accepted, moving forward, its phase begun after reading's.
      expect(matching.every((s) => s.total === 3000)).toBe(true);
      expect(new Set(matching.map((s) => s.done)).size).toBeGreaterThanOrEqual(2);
      expect(matching.map((s) => s.done)).toEqual([...matching.map((s) => s.done)].sort((a, b) => a - b));
      expect(matching[0].started!.getTime()).toBeGreaterThanOrEqual(reading[0].started!.getTime());

      const batch = (await get(`/v1/imports/${id}`, watchKey)).json();
      expect(batch.status).toBe('completed');
      expect(batch.progress).toEqual({ phase: 'done', done: 3000, total: 3000, unit: 'rows', etaSeconds: null, phaseStartedAt: batch.finishedAt });
    } finally {
      await watcher.end();
    }
  }, 180_000);

  it('reports a running batch\'s phase with a known total and the time left, through the API', async () => {
    const { id } = (await upload(readFileSync(writeS1(roster(800).map((l) => l.replace('汉族', '蒙古族')), 'r.csv')), '党员信息导出_时间.csv')).json();
    const views: Record<string, any>[] = [];
    for (let i = 0; i < 6000; i++) {
      const body = (await get(`/v1/imports/${id}`, watchKey)).json();
      views.push(body.progress);
      if (FINAL_BATCH_STATUSES.includes(body.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(views[views.length - 1]).toMatchObject({ phase: 'done', unit: 'rows' });
    const running = views.filter((v) => ['reading', 'matching'].includes(v.phase));
    expect(running.length).toBeGreaterThan(0);
    for (const v of running) {
      expect(v.total).toEqual(expect.any(Number));
      expect(v.unit).toBe(v.phase === 'reading' ? 'bytes' : 'rows');
      expect(v.phaseStartedAt).toMatch(/\+08:00$/);
      // The time left is known once something of the phase is done, and only then.
      if (v.done > 0 && v.done < v.total) expect(v.etaSeconds).toEqual(expect.any(Number));
      if (v.done === 0) expect(v.etaSeconds).toBeNull();
    }
  }, 180_000);

  it('tags a batch with an ETag and answers 304 to If-None-Match', async () => {
    const { id } = (await upload(s6([HEXI, XINGKANG, BAD_CODE]), 'etag.csv')).json();
    await untilFinal(id);
    const first = await get(`/v1/imports/${id}`, watchKey);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"/);
    const again = await app.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: { ...auth(watchKey), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const other = await app.inject({ method: 'GET', url: `/v1/imports/${id}`, headers: { ...auth(watchKey), 'if-none-match': 'W/"other"' } });
    expect(other.statusCode).toBe(200);
  });

  it('streams a batch as Server-Sent Events until it is final', async () => {
    const { id } = (await upload(s6([BAD_CODE, XINGKANG, HEXI]), 'events.csv')).json();
    const response = await app.inject({ method: 'GET', url: `/v1/imports/${id}/events`, headers: auth(watchKey) });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = eventsOf(response.body);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.event === 'progress')).toBe(true);
    const bodies = events.map((e) => JSON.parse(e.data));
    // Each event is the batch as GET /v1/imports/{id} gives it, sent only when it changed.
    expect(new Set(events.map((e) => e.data)).size).toBe(events.length);
    const last = bodies[bodies.length - 1];
    expect(last).toEqual((await get(`/v1/imports/${id}`, watchKey)).json());
    expect(last).toMatchObject({ status: 'completed', progress: { phase: 'done' }, counts: { rejected: 1 } });
    expect(app.get(BatchEvents).openStreams).toBe(0);
    expect((await get(`/v1/imports/${randomUUID()}/events`, watchKey)).statusCode).toBe(404);
    expect((await get(`/v1/imports/${id}/events`, readKey)).statusCode).toBe(403);
  });

  it('stops a batch\'s event stream when the client goes away, and ends it once the batch is final', async () => {
    // A batch no job will take: it stays queued until the test ends it.
    const dataSource = app.get(DataSource);
    const [{ id }] = await dataSource.query(
      `INSERT INTO import_batch (file_name, file_path, file_sha256, file_bytes, status, trigger) VALUES ('waiting.csv', '/nonexistent/waiting.csv', repeat('0', 64), 10, 'queued', 'test') RETURNING id`);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const open = () => new Promise<IncomingMessage>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port, path: `/v1/imports/${id}/events`, headers: auth(watchKey) }, resolve).on('error', reject);
    });
    const firstEvent = (stream: IncomingMessage) => new Promise<string>((resolve) => {
      let text = '';
      stream.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\n\n')) resolve(text);
      });
    });

    const left = await open();
    expect(eventsOf(await firstEvent(left))[0]).toMatchObject({ event: 'progress' });
    expect(app.get(BatchEvents).openStreams).toBe(1);
    left.destroy();
    for (let i = 0; i < 100 && app.get(BatchEvents).openStreams > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.get(BatchEvents).openStreams).toBe(0);

    const watching = await open();
    const text = new Promise<string>((resolve) => {
      let all = '';
      watching.on('data', (chunk: Buffer) => { all += chunk.toString('utf8'); });
      watching.on('end', () => resolve(all));
    });
    await firstEvent(watching);
    await dataSource.query(`UPDATE import_batch SET status = 'failed', error = 'stopped by the test', finished_at = now() WHERE id = $1`, [id]);
    const events = eventsOf(await text).map((e) => JSON.parse(e.data));
    expect(events[0]).toMatchObject({ status: 'queued', progress: { phase: 'queued', done: 0, total: 10, unit: 'bytes' } });
    expect(events[events.length - 1]).toMatchObject({ status: 'failed', progress: { phase: 'done' } });
    expect(app.get(BatchEvents).openStreams).toBe(0);
  });

  it('filters rejections by sheet, column or reason, and downloads them all as CSV with formulas defused', async () => {
    const bad = Array.from({ length: 3 }, (_, i) => BAD_CODE.replace('坏代码社区', `坏代码社区${i}`));
    const { id } = (await upload(s6([HEXI, ...bad]), '=1+2 社区.csv')).json();
    await untilFinal(id);
    const all = (await get(`/v1/imports/${id}/rejections`, watchKey)).json().items;
    expect(all).toHaveLength(3);
    const reason = all[0].reason as string;
    const page = (q: string) => get(`/v1/imports/${id}/rejections?q=${encodeURIComponent(q)}`, watchKey).then((r) => r.json().items);
    expect(await page('社区代码')).toHaveLength(3);
    expect(await page(reason.slice(2, 8))).toHaveLength(3);
    expect(await page('不存在的原因')).toHaveLength(0);
    // The text as typed: no wildcards.
    expect(await page('%')).toHaveLength(0);
    expect(await page('_')).toHaveLength(0);
    expect((await get(`/v1/imports/${id}/rejections?q=${'x'.repeat(201)}`, watchKey)).statusCode).toBe(400);

    const csv = await get(`/v1/imports/${id}/rejections.csv`, watchKey);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('=1+2 社区-拒绝的行.csv')}`);
    expect(csv.body.startsWith('\uFEFFfile,sheet,row,column,reason,raw\r\n')).toBe(true);
    const lines = csv.body.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    // The file name would run as a formula in Excel: it is written as text.
    for (const line of lines.slice(1)) expect(line.startsWith("'=1+2 社区.csv,,")).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(all.map((r: { recordRef: string }) => r.recordRef));
    expect(lines[1]).toContain('坏代码社区0');
    const filtered = await get(`/v1/imports/${id}/rejections.csv?q=${encodeURIComponent('不存在的原因')}`, watchKey);
    expect(filtered.body.slice(1).trimEnd().split('\r\n')).toHaveLength(1);
    expect((await get(`/v1/imports/${randomUUID()}/rejections.csv`, watchKey)).statusCode).toBe(404);
  });

  it('lets a read-only monitoring key watch imports but not upload or roll back; an importer may watch too', async () => {
    const { items } = (await get('/v1/imports', watchKey)).json();
    expect(items.length).toBeGreaterThan(0);
    expect((await get(`/v1/imports/${items[0].id}`, watchKey)).statusCode).toBe(200);
    expect((await get(`/v1/imports/${items[0].id}/rejections`, watchKey)).statusCode).toBe(200);
    expect((await get('/v1/inboxes', watchKey)).statusCode).toBe(200);
    const refused = await upload(s6([HEXI]), 'a.csv', watchKey);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('imports:write');
    expect((await app.inject({ method: 'POST', url: `/v1/imports/${items[0].id}/rollback`, headers: auth(watchKey) })).statusCode).toBe(403);
    expect((await get('/v1/imports', importKey)).statusCode).toBe(200);
    expect((await get('/v1/imports', readKey)).statusCode).toBe(403);
  });

  it('tells a key who it is and what it may do', async () => {
    expect((await get('/v1/me', importKey)).json()).toEqual({ name: 'importer', scopes: ['imports:read', 'imports:write'], mayReadPii: false });
    expect((await get('/v1/me', watchKey)).json()).toEqual({ name: 'monitor', scopes: ['imports:read'], mayReadPii: false });
    const admin = (await app.get(ApiKeysService).create('boss', ['admin'], 'test')).key;
    expect((await get('/v1/me', admin)).json()).toEqual({
      name: 'boss', scopes: ['registry:read', 'registry:read-pii', 'imports:read', 'imports:write', 'review:write', 'admin'], mayReadPii: true,
    });
    expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });

  it('lists the scheduled inboxes with their last passes: when, the files and batches, the outcome', async () => {
    const inboxes = new InboxService(app.get(ImportsService), app.get(DataSource), app.get(LOGGER));
    const [config] = (await get('/v1/inboxes', watchKey)).json();
    expect(config).toMatchObject({ name: 'civil-affairs', folder: join(inboxRoot, 'in'), cron: '*/5 * * * *', nextRunAt: expect.stringMatching(/\+08:00$/), lastRuns: [] });
    const inbox = { name: 'civil-affairs', folder: join(inboxRoot, 'in'), cron: '*/5 * * * *', archiveFolder: join(inboxRoot, 'archive'), quarantineFolder: join(inboxRoot, 'quarantine') };

    await inboxes.runPass(inbox);
    await inboxes.runPass(inbox);
    mkdirSync(inbox.folder, { recursive: true });
    for (const [name, lines] of [['河西.csv', [HEXI]], ['坏.csv', [BAD_CODE.replace(',坏代码社区', ',')]]] as const) {
      writeFileSync(join(inbox.folder, name), s6([...lines]));
      utimesSync(join(inbox.folder, name), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    }
    const outcomes = (await inboxes.runPass(inbox))!;
    await inboxes.runPass(inbox);

    const [listed] = (await get('/v1/inboxes', watchKey)).json();
    // Newest first; of the passes that found nothing, only the latest is kept.
    expect(listed.lastRuns.map((r: { outcome: string }) => r.outcome)).toEqual(['nothing', expect.stringMatching(/^(imported|quarantined)$/)]);
    const taken = listed.lastRuns[1];
    expect(taken).toMatchObject({ startedAt: expect.stringMatching(/\+08:00$/), finishedAt: expect.stringMatching(/\+08:00$/), error: null });
    expect(taken.files.map((f: { file: string; batchId: string; status: string }) => [f.file, f.batchId, f.status]).sort())
      .toEqual(outcomes.map((o) => [o.file, o.batchId, o.status]).sort());
    expect(taken.outcome).toBe(outcomes.every((o) => ['completed', 'unchanged'].includes(o.status)) ? 'imported' : 'quarantined');
  });

  it('documents the routes and the multipart body in OpenAPI', async () => {
    const doc = (await get('/docs-json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/imports', '/v1/imports/{id}', '/v1/imports/{id}/rejections']));
    expect(doc.paths['/v1/imports'].post.requestBody.content['multipart/form-data'].schema.properties.file).toEqual({ type: 'string', format: 'binary' });
    expect(doc.paths['/v1/imports'].post.responses['202'].content['application/json'].schema.$ref).toMatch(/ImportBatchDto$/);
  });
});

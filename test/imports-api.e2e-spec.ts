import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../libs/auth/src';
import { FINAL_BATCH_STATUSES } from '../libs/database/src';
import { DivisionsService } from '../libs/divisions/src';
import { HEXI, writeS6, XINGKANG } from './support/fixtures';
import { startRegistry, startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const UPLOAD_LIMIT = 2 * 1024 * 1024;
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
    app = await startApi();
    await app.get(DivisionsService).seedReference();
    // The API only enqueues: with Redis a worker consumes the jobs; without it, the API's own in-process queue runs them.
    consumer = process.env.REDIS_URL ? await startRegistry('bullmq') : null;
    const keys = app.get(ApiKeysService);
    importKey = (await keys.create('importer', ['imports:write'], 'test')).key;
    readKey = (await keys.create('reader', ['registry:read'], 'test')).key;
  }, 30_000);

  afterAll(async () => {
    await consumer?.close();
    await app.close();
    await database.drop();
    delete process.env.QC_DATA_DIR;
    delete process.env.QC_MAX_UPLOAD_BYTES;
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
    // Progress is the last phase's: every accepted row merged.
    expect(batch.progress).toEqual({ done: 2, total: 2 });
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

  it('needs a key with imports:write', async () => {
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

  it('documents the routes and the multipart body in OpenAPI', async () => {
    const doc = (await get('/docs-json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/imports', '/v1/imports/{id}', '/v1/imports/{id}/rejections']));
    expect(doc.paths['/v1/imports'].post.requestBody.content['multipart/form-data'].schema.properties.file).toEqual({ type: 'string', format: 'binary' });
    expect(doc.paths['/v1/imports'].post.responses['202'].content['application/json'].schema.$ref).toMatch(/ImportBatchDto$/);
  });
});

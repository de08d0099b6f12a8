import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeysService } from '../libs/auth/src';
import { DivisionsService } from '../libs/divisions/src';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startApi } from './support/registry-app';

describe('HTTP API (real PostgreSQL)', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let readKey: string;
  let importKey: string;

  const get = (url: string, key?: string) =>
    app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startApi();
    await app.get(DivisionsService).seedReference();
    const keys = app.get(ApiKeysService);
    readKey = (await keys.create('reader', ['registry:read'], 'test')).key;
    importKey = (await keys.create('importer', ['imports:write'], 'test')).key;
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves a district by its significant prefix or its full code, with its subdistricts', async () => {
    for (const code of ['150105', '150105000000']) {
      const response = await get(`/v1/divisions/${code}`, readKey);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ code: '150105000000', name: '赛罕区', level: 'district', parentCode: '150100000000' });
      expect(body.path.map((d: { name: string }) => d.name)).toEqual(['呼和浩特市']);
      const streets = body.children.map((d: { name: string }) => d.name);
      expect(streets).toContain('人民路街道');
      expect(body.children.every((d: { level: string }) => d.level === 'street')).toBe(true);
    }
  });

  it('serves a community with its path', async () => {
    const body = (await get('/v1/divisions/150105001019', readKey)).json();
    expect(body.name).toBe('兴康社区居委会');
    expect(body.path.map((d: { code: string }) => d.code)).toEqual(['150100000000', '150105000000', '150105001000']);
  });

  it('answers errors with a consistent body', async () => {
    const unauthenticated = await get('/v1/divisions/150105');
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.json()).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
    expect((await get('/v1/divisions/150105', 'qc_00000000_notarealkeynotarealkeynotarealkey')).statusCode).toBe(401);
    expect((await get('/v1/divisions/150105', importKey)).json()).toMatchObject({ code: 'forbidden' });
    expect((await get("/v1/divisions/1501'%20OR%201=1", readKey)).json()).toMatchObject({ code: 'bad_request' });
    const missing = await get('/v1/divisions/150199', readKey);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'not_found', message: 'no division with code 150199000000' });
  });

  it('keeps health and the OpenAPI document open, and documents every route', async () => {
    const health = await get('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const doc = (await get('/docs-json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/v1/divisions/{code}']));
  });
});

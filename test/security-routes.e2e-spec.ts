import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeysService } from '../libs/auth/src';
import { AppConfig } from '../libs/config/src';
import { Scope, SCOPES } from '../libs/database/src';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { startApi } from './support/registry-app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/** The only routes open without a key (the docs are served outside the OpenAPI document). */
const PUBLIC_PATHS = [/^\/health(\/|$)/];
/** Routes any valid key may call, whatever its scopes: the key asking about itself. */
const ANY_KEY_PATHS = [/^\/v1\/me$/];
const ANY_KEY = '(any valid key)';

interface Route { method: string; path: string; url: string }

/**
 * Every route the OpenAPI document lists, found at run time so that routes added later are covered
 * too: without a key it answers 401, with a key lacking one of its scopes 403, and with its scopes
 * something else (a 400 or 404 for the dummy parameters is fine: the point is the guard before it).
 */
describe('every API route needs a key with its scopes (routes read from /docs-json)', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let routes: Route[];
  const keys = new Map<string, string>();

  async function keyWith(scopes: Scope[]): Promise<string> {
    const name = `k-${[...scopes].sort().join('_').replace(/:/g, '.') || 'none'}`;
    if (!keys.has(name)) keys.set(name, (await app.get(ApiKeysService).create(name, scopes, 'test')).key);
    return keys.get(name)!;
  }

  const call = (route: Route, key: string | null, remoteAddress = '127.0.0.1') => app.inject({
    method: route.method as 'GET', url: route.url, remoteAddress,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(route.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(route.method === 'GET' ? {} : { payload: '{}' }),
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startApi();
    const document = (await app.inject({ method: 'GET', url: '/docs-json' })).json() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations)
      .filter((method) => METHODS.includes(method))
      // A dummy value for every path parameter: the guard answers before any parameter is read.
      .map((method) => ({ method: method.toUpperCase(), path, url: path.replace(/\{[^}]+\}/g, '0') })));
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves the docs and health without a key', async () => {
    expect((await app.inject({ method: 'GET', url: '/docs-json' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBeLessThan(500);
  });

  it('lists the routes the API serves', () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /v1/divisions/{code}', 'POST /v1/imports', 'GET /v1/imports']));
  });

  it('answers 401 without a key, with an unknown key and with a revoked key, on every route but health', async () => {
    const revoked = (await app.get(ApiKeysService).create('revoked-admin', ['admin'], 'test')).key;
    await app.get(ApiKeysService).revoke('revoked-admin', 'test');
    const unknown = 'qc_00000000_notarealkeynotarealkeynotarealkey';
    const open: string[] = [];
    // Each route is called from an address of its own: failed authentications are limited per address.
    for (const [i, route] of routes.filter((r) => !PUBLIC_PATHS.some((p) => p.test(r.path))).entries()) {
      for (const key of [null, unknown, revoked, 'Basic dXNlcjpwYXNz']) {
        const response = await call(route, key, `10.1.0.${i + 1}`);
        if (response.statusCode !== 401) open.push(`${route.method} ${route.path} (${key ? 'bad key' : 'no key'}): ${response.statusCode}`);
        else expect(response.json()).toMatchObject({ code: 'unauthorized' });
      }
    }
    expect(open).toEqual([]);
  });

  it('answers 429 with Retry-After to an address past its failed authentications a minute, whatever key it sends then', async () => {
    const limit = app.get(AppConfig).authFailuresPerMinute;
    const route = routes.find((r) => r.path === '/v1/changes')!;
    const unknownKeys = Array.from({ length: limit }, (_, i) => `qc_${String(i).padStart(8, '0')}_notarealkeynotarealkeynotarealkey`);
    for (const key of unknownKeys) expect((await call(route, key, '10.2.0.1')).statusCode).toBe(401);
    const refused = await call(route, await keyWith(['registry:read']), '10.2.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await call(route, unknownKeys[0], '10.2.0.2')).statusCode).toBe(401);
  });

  it('answers 400 to an unknown query parameter on every route, whether its query is a DTO or it takes none', async () => {
    const admin = await keyWith(['admin']);
    // Path parameters that pass their own validation, so that only the query can be what is refused.
    const plausible: Record<string, string> = { code: '150105', name: 'structure' };
    const accepted: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC_PATHS.some((p) => p.test(r.path)))) {
      const url = `${route.path.replace(/\{([^}]+)\}/g, (_, name: string) => plausible[name] ?? '00000000-0000-7000-8000-000000000000')}?qcUnknown=1`;
      const response = await call({ ...route, url }, admin);
      const body = response.json();
      const aboutTheQuery = /query parameter/.test(body.message) || (body.details ?? []).includes('property qcUnknown should not exist');
      if (response.statusCode !== 400 || !aboutTheQuery) accepted.push(`${route.method} ${route.path}: ${response.statusCode} ${body.message}`);
    }
    expect(accepted).toEqual([]);
  });

  it('documents every route in the README\'s API table with the scopes the API enforces, and no route it does not serve', async () => {
    const enforced = new Map<string, string>();
    for (const route of routes.filter((r) => !PUBLIC_PATHS.some((p) => p.test(r.path)))) {
      const refused = await call(route, await keyWith([]));
      const anyKey = refused.statusCode === 200 && ANY_KEY_PATHS.some((p) => p.test(route.path));
      enforced.set(`${route.method} ${route.path}`, anyKey ? ANY_KEY : /needs the scope\(s\) (.+)$/.exec(refused.json().message)?.[1] ?? `(answered ${refused.statusCode})`);
    }
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const apiSection = readme.slice(readme.indexOf('\n## API\n'), readme.indexOf('\n## ', readme.indexOf('\n## API\n') + 1));
    const documented = new Map<string, string>();
    for (const [, routeCell, scopeCell] of apiSection.matchAll(/^\| (`[^|]+) \| ([^|]+) \|/gm)) {
      // Each route is written out with its method; a query string is an example, not part of the route.
      for (const [, method, path] of routeCell.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^`?\s]*)/g)) documented.set(`${method} ${path}`, scopeCell.trim());
    }
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...enforced].sort()));
  });

  it('answers 403 to a key lacking any one of a route\'s scopes, and lets a key with them through', async () => {
    const problems: string[] = [];
    for (const route of routes.filter((r) => !PUBLIC_PATHS.some((p) => p.test(r.path)))) {
      // A key with no scope at all learns which scopes the route needs, and nothing else.
      const bare = await call(route, await keyWith([]));
      if (ANY_KEY_PATHS.some((p) => p.test(route.path))) {
        if (bare.statusCode !== 200) problems.push(`${route.method} ${route.path} with no scope: ${bare.statusCode}`);
        continue;
      }
      if (bare.statusCode !== 403) { problems.push(`${route.method} ${route.path} with no scope: ${bare.statusCode}`); continue; }
      const needed = (/needs the scope\(s\) (.+)$/.exec(bare.json().message)?.[1] ?? '').split(', ') as Scope[];
      if (!needed.every((s) => SCOPES.includes(s))) { problems.push(`${route.method} ${route.path}: unclear 403 message ${bare.json().message}`); continue; }
      const allowed = await call(route, await keyWith(needed));
      if ([401, 403].includes(allowed.statusCode)) problems.push(`${route.method} ${route.path} with ${needed.join('+')}: ${allowed.statusCode}`);
      for (const missing of needed) {
        const others = SCOPES.filter((s) => s !== missing && s !== 'admin');
        const refused = await call(route, await keyWith(others));
        if (refused.statusCode !== 403) problems.push(`${route.method} ${route.path} without ${missing}: ${refused.statusCode}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

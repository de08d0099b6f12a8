import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { parse } from 'csv-parse/sync';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { generateCity } from '../etl/generate';
import { ApiKeysService, RateLimiter } from '../libs/auth/src';
import { AppConfig } from '../libs/config/src';
import { personNameKeys } from '../libs/naming/src';
import { ImportsService } from '../libs/ingestion/src';
import { CurationService } from '../libs/registry/src';
import { startRegistry, startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { importCityFiles } from './support/imported-city';

const STAT_FIELDS = ['households', 'residents', 'minorityShare', 'communityWorkers', 'grids', 'gridBranches', 'compounds', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds', 'organizations', 'members', 'fullMembers', 'probationaryMembers'] as const;
const XINGKANG = '150105001019';

interface TruthPerson { truth_id: string; name: string; id_number: string; category: string; phone: string; birth_date: string }
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The clear values that occur in the bodies: every 11- and 18-character window of every digit run is a candidate. */
function clearValuesIn(bodies: string[], clear: string[]): string[] {
  const windows = new Set<string>();
  for (const run of bodies.join('\n').match(/[\dXx]{11,}/g) ?? []) {
    for (const width of [11, 18]) for (let i = 0; i + width <= run.length; i++) windows.add(run.slice(i, i + width));
  }
  return clear.filter((value) => windows.has(value));
}

jest.setTimeout(60_000);

describe('the registry read API over a generated city', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let dir: string;
  let readKey: string;
  let piiKey: string;
  let truthStats: { communities: Record<string, Record<string, number>>; city: Record<string, number> };
  let truthPersons: TruthPerson[];

  const get = (url: string, key = readKey, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}`, ...headers } });

  /** Every page of a list, following nextCursor; also returns the raw bodies. */
  async function walk(url: string, key = readKey): Promise<{ items: Json[]; bodies: string[] }> {
    const items: Json[] = [];
    const bodies: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await get(`${url}${url.includes('?') ? '&' : '?'}${cursor ? `after=${cursor}&` : ''}limit=500`, key);
      expect(response.statusCode).toBe(200);
      bodies.push(response.body);
      const page = response.json();
      items.push(...page.items);
      cursor = page.hasMore === false ? null : page.nextCursor;
    } while (cursor);
    return { items, bodies };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qc-api-city-'));
    // The city test/all-sources.e2e-spec.ts checks the pipeline against, so these checks are about the API.
    await generateCity({ out: dir, seed: 'e2e-all', members: 2500 });
    truthStats = JSON.parse(readFileSync(join(dir, 'truth/stats.json'), 'utf8'));
    truthPersons = parse(readFileSync(join(dir, 'truth/persons.csv')), { columns: true });
    database = await createTestDatabase();
    const registry = await startRegistry('in-process');
    await importCityFiles(registry.get(ImportsService), dir);
    await registry.close();
    app = await startApi();
    dataSource = app.get<DataSource>(getDataSourceToken());
    const keys = app.get(ApiKeysService);
    readKey = (await keys.create('reader', ['registry:read'], 'test')).key;
    piiKey = (await keys.create('pii-reader', ['registry:read', 'registry:read-pii'], 'test')).key;
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every community\'s figures as the ground truth has them, and sums them for a district', async () => {
    for (const [code, expected] of Object.entries(truthStats.communities)) {
      const body = (await get(`/v1/divisions/${code}/stats`)).json();
      const pick = (o: Json) => Object.fromEntries(STAT_FIELDS.map((f) => [f, o[f]]));
      expect({ code, ...pick(body) }).toEqual({ code, ...pick(expected) });
    }
    const saihan = Object.keys(truthStats.communities).filter((c) => c.startsWith('150105'));
    const district = (await get('/v1/divisions/150105/stats')).json();
    expect(district.members).toBe(saihan.reduce((sum, c) => sum + truthStats.communities[c].members, 0));
    expect((await get('/v1/divisions/1501/stats')).json().redPropertyBranches).toBe(truthStats.city.redPropertyBranches);
    expect((await get('/v1/divisions/150199/stats')).statusCode).toBe(404);
  });

  it('lists organizations by division, type and tag, and shows a community\'s four-level tree', async () => {
    const xingkang = (await walk(`/v1/organizations?division=${XINGKANG}`)).items;
    expect(xingkang).toHaveLength(truthStats.communities[XINGKANG].organizations);
    const [committee] = (await walk(`/v1/organizations?division=${XINGKANG}&type=committee`)).items;
    expect(committee).toMatchObject({ type: 'committee', tags: ['community'], divisionCode: XINGKANG, parentId: null });
    expect((await walk('/v1/organizations?tag=red-property')).items).toHaveLength(truthStats.city.redPropertyBranches);
    expect((await walk(`/v1/organizations?q=${encodeURIComponent('兴康')}&type=committee`)).items.map((o) => o.id)).toContain(committee.id);

    const tree = (await get(`/v1/organizations/${committee.id}/tree`)).json();
    const gridBranches = tree.children.filter((n: Json) => n.tags.includes('grid'));
    expect(gridBranches).toHaveLength(truthStats.communities[XINGKANG].gridBranches);
    const groups = gridBranches.flatMap((n: Json) => n.children).filter((n: Json) => n.type === 'group');
    expect(groups).toHaveLength(truthStats.communities[XINGKANG].buildingGroups);
    const nodes: Json[] = [];
    const visit = (n: Json) => { nodes.push(n); n.children.forEach(visit); };
    visit(tree);
    expect(nodes.reduce((sum, n) => sum + n.members.total, 0)).toBe(truthStats.communities[XINGKANG].members);
    expect(nodes.reduce((sum, n) => sum + n.centralHouseholds, 0)).toBe(truthStats.communities[XINGKANG].centralHouseholds);
    expect((await get(`/v1/organizations/${committee.id}/tree?depth=1`)).json().children.every((n: Json) => n.children.length === 0)).toBe(true);

    const branch = gridBranches[0];
    const branchMembers = (await walk(`/v1/persons?organizationId=${branch.id}`)).items;
    expect(branchMembers).toHaveLength(branch.members.total);
    expect(branchMembers.every((p) => p.organizationId === branch.id)).toBe(true);
    const centralHouseholds = (await walk(`/v1/persons?division=${XINGKANG}&role=central_household`)).items;
    expect(centralHouseholds).toHaveLength(truthStats.communities[XINGKANG].centralHouseholds);
    const holder = (await get(`/v1/persons/${centralHouseholds[0].id}`)).json();
    expect(holder.roles).toEqual(expect.arrayContaining([expect.objectContaining({ role: 'central_household', divisionCode: XINGKANG, buildingId: expect.any(String) })]));
  });

  it('lists places and the red-property branches with their companies', async () => {
    expect((await walk(`/v1/grids?division=${XINGKANG}`)).items).toHaveLength(truthStats.communities[XINGKANG].grids);
    expect((await walk(`/v1/compounds?division=${XINGKANG}`)).items).toHaveLength(truthStats.communities[XINGKANG].compounds);
    const buildings = (await walk(`/v1/buildings?division=${XINGKANG}`)).items;
    expect(buildings).toHaveLength(truthStats.communities[XINGKANG].buildings);
    expect(buildings.filter((b) => b.hasLead)).toHaveLength(truthStats.communities[XINGKANG].buildingLeads);
    const branches = (await walk('/v1/red-property')).items;
    expect(branches).toHaveLength(truthStats.city.redPropertyBranches);
    const companies = (parse(readFileSync(join(dir, 'truth/entities.csv')), { columns: true }) as { truth_id: string; entity_type: string; name: string; code: string }[])
      .filter((e) => e.entity_type === 'property_company');
    const truthBranches = (parse(readFileSync(join(dir, 'truth/orgs.csv')), { columns: true }) as { type: string; community_code: string; company_truth_id: string; members: string }[])
      .filter((o) => o.type === 'red_property_branch');
    const served = (b: Json) => ({ creditCode: b.company.creditCode, community: b.communityCode, members: b.members.total });
    expect(branches.map(served).sort((a, b) => a.creditCode.localeCompare(b.creditCode))).toEqual(truthBranches.map((t) => {
      const company = companies.find((c) => c.truth_id === t.company_truth_id)!;
      return { creditCode: company.code, community: t.community_code, members: Number(t.members) };
    }).sort((a, b) => a.creditCode.localeCompare(b.creditCode)));
    const rifuCode = companies.find((c) => c.name === '呼和浩特市日富物业服务有限责任公司')!.code;
    const rifu = branches.find((b) => b.company.creditCode === rifuCode)!;
    expect(rifu.compounds.map((c: Json) => c.name)).toContain('航苑小区');
    expect((await get(`/v1/property-companies/${rifu.company.id}`)).json().branchIds).toEqual([rifu.id]);
  });

  it('finds persons by name, by pinyin and by a full ID number, the last only with registry:read-pii and audited', async () => {
    const member = truthPersons.find((p) => p.category === 'full' && p.name.length >= 2)!;
    const names = async (q: string) => (await walk(`/v1/persons?q=${encodeURIComponent(q)}`)).items.map((p) => p.name);
    expect(await names(member.name)).toContain(member.name);
    expect(await names(member.name.slice(0, 1))).toContain(member.name);
    expect(await names(personNameKeys(member.name).pinyin)).toContain(member.name);
    // A name with a middle dot is found without it.
    const dotted = truthPersons.find((p) => p.name.includes('·') && p.category === 'full')!;
    expect(await names(dotted.name.replace('·', ''))).toContain(dotted.name);

    const lookup = (key: string, idNumber: string) => app.inject({ method: 'POST', url: '/v1/persons/lookup', headers: { authorization: `Bearer ${key}` }, payload: { idNumber } });
    expect((await lookup(readKey, member.id_number)).statusCode).toBe(403);
    const found = await lookup(piiKey, member.id_number.toLowerCase());
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({ name: member.name, idNumber: member.id_number, birthDate: member.birth_date });
    expect(found.json().memberships.find((m: Json) => m.status === 'current')).toMatchObject({ category: 'full' });
    const audited = await dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read-pii' AND entity_id = $1 AND detail->>'purpose' = 'api: lookup by ID number'`, [found.json().id]);
    expect(audited[0].n).toBe(1);
    const wrongCheck = `${member.id_number.slice(0, 17)}${member.id_number.endsWith('0') ? '1' : '0'}`;
    const refused = await lookup(piiKey, wrongCheck);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).not.toContain(wrongCheck);
    expect((await lookup(piiKey, '150105199001011234; DROP TABLE person')).statusCode).toBe(400);
  });

  it('never shows a clear ID number or phone to a key without registry:read-pii, and shows them to one with it', async () => {
    const clear = truthPersons.flatMap((p) => [p.id_number, p.phone]).filter((v) => v !== '');
    const persons = await walk('/v1/persons');
    const changes = await walk('/v1/changes');
    const singles = await Promise.all(persons.items.slice(0, 50).map(async (p) => (await get(`/v1/persons/${p.id}`)).body));
    expect(clearValuesIn([...persons.bodies, ...changes.bodies, ...singles], clear)).toEqual([]);
    expect(persons.items.filter((p) => p.idNumber !== null).every((p) => /^\d{6}\*{12}$/.test(p.idNumber))).toBe(true);

    const member = truthPersons.find((p) => p.category === 'full' && p.phone !== '')!;
    const id = persons.items.find((p) => p.name === member.name && p.birthDate === `${member.birth_date.slice(0, 4)}-01-01`)!.id;
    const shown = await get(`/v1/persons/${id}`, piiKey);
    expect({ idNumber: shown.json().idNumber, phone: shown.json().phone }).toEqual({ idNumber: member.id_number, phone: member.phone });
    expect(clearValuesIn([shown.body], clear).sort()).toEqual([member.id_number, member.phone].sort());
  });

  it('walks every page without duplicates or omissions, and refuses bad cursors, huge limits and injection strings', async () => {
    const ids = (await walk('/v1/persons')).items.map((p) => p.id);
    const small: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = (await get(`/v1/persons?limit=37${cursor ? `&after=${cursor}` : ''}`)).json();
      small.push(...page.items.map((p: Json) => p.id));
      cursor = page.nextCursor;
    } while (cursor);
    const [{ n }] = await dataSource.query('SELECT count(*)::int AS n FROM person');
    expect(new Set(small).size).toBe(n);
    expect(small).toEqual(ids);

    const organizationsCursor = (await get('/v1/organizations?limit=1')).json().nextCursor;
    for (const url of [
      '/v1/persons?after=not-a-cursor', `/v1/persons?after=${organizationsCursor}`, '/v1/persons?limit=100000', '/v1/persons?limit=0',
      `/v1/persons?q=${encodeURIComponent("' OR '1'='1")}`, `/v1/organizations?q=${encodeURIComponent('x; DROP TABLE person --')}`,
      '/v1/persons?division=1501%27', '/v1/persons?unknown=1', '/v1/persons/1%20OR%201=1', '/v1/organizations?type=secret',
      `/v1/changes?after=${Buffer.from('["v1","changes","0 OR 1=1"]').toString('base64url')}`,
    ]) {
      const response = await get(url);
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({ url, status: 400, code: 'bad_request' });
    }
    expect((await get('/v1/persons/00000000-0000-4000-8000-000000000000')).json()).toMatchObject({ code: 'not_found' });
    expect((await get('/v1/persons')).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/persons' })).json()).toMatchObject({ code: 'unauthorized' });
  });

  it('tags single resources with an ETag and answers 304 to If-None-Match', async () => {
    const [organization] = (await get('/v1/organizations?limit=1')).json().items;
    for (const url of [`/v1/organizations/${organization.id}`, `/v1/organizations/${organization.id}/tree`]) {
      const first = await get(url);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^W\/".+"$/);
      const again = await get(url, readKey, { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect((await get(url, readKey, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);
    }
  });

  it('rebuilds, from the change feed replayed from the start, the organizations and persons the API serves, manual merges and an unmerge included', async () => {
    // Curation first: two merges of each kind, one of them undone. A person without a valid ID goes
    // into a member, of the same organization where there is one (a merge of two valid IDs is refused).
    const curation = app.get(CurationService);
    const pairs = async (sql: string): Promise<[string, string][]> => (await dataSource.query(sql)).map((r: { a: string; b: string }) => [r.a, r.b]);
    const personPairs = await pairs(`
      SELECT DISTINCT ON (b.id) a.person_id::text AS a, b.id::text AS b FROM person b
        JOIN membership a ON a.status = 'current' AND a.person_id <> b.id
        LEFT JOIN membership shared ON shared.person_id = b.id AND shared.organization_id = a.organization_id
       WHERE b.id_number_hmac IS NULL ORDER BY b.id, shared.id IS NULL, a.person_id LIMIT 2`);
    const organizationPairs = await pairs(`
      SELECT DISTINCT ON (o1.parent_id) o1.id::text AS a, o2.id::text AS b FROM party_organization o1
        JOIN party_organization o2 ON o2.parent_id = o1.parent_id AND o2.type = o1.type AND o2.id > o1.id
       WHERE o1.type = 'branch' ORDER BY o1.parent_id, o1.id, o2.id LIMIT 2`);
    expect([personPairs.length, organizationPairs.length]).toEqual([2, 2]);
    for (const [type, [[survivorId, mergedId], [undoneSurvivorId, undoneId]]] of [['person', personPairs], ['organization', organizationPairs]] as const) {
      await curation.merge(type, { survivorId, mergedId, actor: 'replay-test' });
      await curation.merge(type, { survivorId: undoneSurvivorId, mergedId: undoneId, actor: 'replay-test' });
      await curation.unmerge(type, undoneId, 'replay-test');
    }

    const replayed = new Map<string, Map<string, Json>>();
    const entities = (type: string) => replayed.get(type) ?? replayed.set(type, new Map()).get(type)!;
    const feed = (await walk('/v1/changes')).items;
    // Every entity of every entry once (a range of creates is an item per entity), in strictly increasing positions.
    const [{ n }] = await dataSource.query(`SELECT sum(coalesce(cardinality(entity_ids), 1))::int AS n FROM change_log`);
    expect(feed.length).toBe(n);
    expect(feed.filter((c, i) => i > 0 && BigInt(c.seq) <= BigInt(feed[i - 1].seq))).toEqual([]);
    for (const change of feed) {
      const of = entities(change.entityType);
      if (change.action === 'merge') {
        // { absorbed: [absorbedId, survivorId] }: the absorbed entity is gone, what referred to it refers to the survivor.
        const [absorbed, survivor] = change.changes.absorbed;
        of.delete(absorbed);
        for (const each of replayed.values()) {
          for (const entity of each.values()) for (const [field, value] of Object.entries(entity)) if (value === absorbed) entity[field] = survivor;
        }
        continue;
      }
      if (change.action === 'delete') {
        of.delete(change.entityId);
        continue;
      }
      const entity = of.get(change.entityId) ?? {};
      for (const [field, [, after]] of Object.entries<[unknown, unknown]>(change.changes)) entity[field] = after;
      of.set(change.entityId, entity);
    }

    const organizations = (await walk('/v1/organizations')).items;
    expect(new Set(replayed.get('organization')!.keys())).toEqual(new Set(organizations.map((o) => o.id)));
    for (const o of organizations) {
      const r = replayed.get('organization')!.get(o.id)!;
      const fields = ['type', 'shortName', 'formalName', 'divisionCode', 'parentId'] as const;
      expect({ id: o.id, ...Object.fromEntries(fields.map((f) => [f, r[f] ?? null])), tags: [...(r.tags ?? [])].sort() })
        .toEqual({ id: o.id, ...Object.fromEntries(fields.map((f) => [f, o[f]])), tags: [...o.tags].sort() });
    }

    const persons = (await walk('/v1/persons')).items;
    expect(new Set(replayed.get('person')!.keys())).toEqual(new Set(persons.map((p) => p.id)));
    const memberships = [...replayed.get('membership')!.values()];
    for (const p of persons) {
      const r = replayed.get('person')!.get(p.id)!;
      expect({ id: p.id, name: r.name, gender: r.gender ?? null, birthDate: r.birthDate ?? null, phone: r.phone ?? null })
        .toEqual({ id: p.id, name: p.name, gender: p.gender, birthDate: p.birthDate, phone: p.phone });
      if (p.idNumber !== null) expect({ id: p.id, idNumber: r.idNumber }).toEqual({ id: p.id, idNumber: p.idNumber });
      const current = memberships.filter((m) => m.personId === p.id && m.status === 'current');
      expect({ id: p.id, current: current.map((m) => [m.organizationId, m.category ?? null]) })
        .toEqual({ id: p.id, current: p.organizationId ? [[p.organizationId, p.category]] : [] });
    }
  });

  it('answers 429 with Retry-After once a key has used its minute', async () => {
    const keys = app.get(ApiKeysService);
    const { id, key } = await keys.create('throttled', ['registry:read'], 'test');
    const limit = app.get(AppConfig).rateLimitPerMinute;
    for (let i = 0; i < limit; i++) await app.get(RateLimiter).hit(id);
    const refused = await get('/v1/changes?limit=1', key);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await get('/v1/changes?limit=1')).statusCode).toBe(200);
  });

  it('documents every route with its response type and its error responses', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    const routes = [
      '/v1/divisions/{code}/stats', '/v1/organizations', '/v1/organizations/{id}', '/v1/organizations/{id}/tree', '/v1/persons', '/v1/persons/{id}',
      '/v1/persons/lookup', '/v1/grids', '/v1/grids/{id}', '/v1/compounds', '/v1/compounds/{id}', '/v1/buildings', '/v1/buildings/{id}',
      '/v1/property-companies', '/v1/property-companies/{id}', '/v1/red-property', '/v1/changes',
    ];
    for (const route of routes) {
      const operation = doc.paths[route]?.get ?? doc.paths[route]?.post;
      expect({ route, ok: operation?.responses['200']?.content['application/json'].schema.$ref }).toEqual({ route, ok: expect.stringMatching(/Dto$/) });
      expect({ route, errors: ['400', '401', '403', '429'].filter((status) => !operation.responses[status]) }).toEqual({ route, errors: [] });
    }
    expect(doc.components.schemas.PersonPageDto.properties.items.items.$ref).toBe('#/components/schemas/PersonSummaryDto');
  });
});

describe.each(process.env.REDIS_URL ? ['memory', 'redis'] : ['memory'])('the rate limit in %s', (store) => {
  const config = { redisUrl: store === 'redis' ? process.env.REDIS_URL : undefined, rateLimitPerMinute: 5, queuePrefix: `qc_test_${randomBytes(5).toString('hex')}` } as AppConfig;
  const limiters = store === 'redis' ? [new RateLimiter(config), new RateLimiter(config)] : [new RateLimiter(config)];
  afterAll(() => Promise.all(limiters.map((l) => l.onModuleDestroy())));

  it(`holds per key and per clock minute${store === 'redis' ? ', shared by every API process' : ''}`, async () => {
    const tenSecondsIntoAMinute = Date.UTC(2026, 0, 1, 8, 0, 10);
    for (let i = 0; i < 5; i++) await limiters[i % limiters.length].hit('key-a', tenSecondsIntoAMinute);
    for (const limiter of limiters) await expect(limiter.hit('key-a', tenSecondsIntoAMinute)).rejects.toMatchObject({ retryAfterSeconds: 50 });
    await expect(limiters[0].hit('key-b', tenSecondsIntoAMinute)).resolves.toBeUndefined();
    await expect(limiters[limiters.length - 1].hit('key-a', tenSecondsIntoAMinute + 50_000)).resolves.toBeUndefined();
  });
});

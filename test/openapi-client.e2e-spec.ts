import SwaggerParser from '@apidevtools/swagger-parser';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parse } from 'csv-parse/sync';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import createClient from 'openapi-fetch';
import ts from 'typescript';
import { ApiKeysService } from '../libs/auth/src';
import { PROJECT_ROOT } from '../libs/config/src';
import { importGeneratedCity } from './support/imported-city';
import { startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

jest.setTimeout(180_000);

/**
 * What an integrator writes against the generated types: if the document described a route,
 * a parameter or a response wrongly, this stops compiling (or answers other values).
 */
const CALLS = `
import type createClient from 'openapi-fetch';
import type { paths } from './registry-api';

export async function readRegistry(create: typeof createClient, baseUrl: string, keys: { read: string; pii: string }, idNumber: string, surname: string) {
  const reader = create<paths>({ baseUrl, headers: { authorization: \`Bearer \${keys.read}\` } });
  const clear = create<paths>({ baseUrl, headers: { authorization: \`Bearer \${keys.pii}\` } });

  const page = await reader.GET('/v1/persons', { params: { query: { q: surname, limit: 3 } } });
  if (!page.data) throw new Error(\`list: \${page.response.status}\`);
  const listed: { id: string; name: string; idNumber: string | null }[] = page.data.items.map((p) => ({ id: p.id, name: p.name, idNumber: p.idNumber }));
  const nextCursor: string | null = page.data.nextCursor;

  const single = await reader.GET('/v1/persons/{id}', { params: { path: { id: listed[0].id } } });
  if (!single.data) throw new Error(\`single: \${single.response.status}\`);
  const memberships: string[] = single.data.memberships.map((m) => m.organizationId);

  const tree = memberships.length > 0 ? await reader.GET('/v1/organizations/{id}/tree', { params: { path: { id: memberships[0] } } }) : null;
  const treeMembers: number | null = tree?.data ? tree.data.members.total : null;

  const lookup = await clear.POST('/v1/persons/lookup', { body: { idNumber } });
  if (!lookup.data) throw new Error(\`lookup: \${lookup.response.status}\`);
  const found: { id: string; name: string; idNumber: string | null } = { id: lookup.data.id, name: lookup.data.name, idNumber: lookup.data.idNumber };

  const forbidden = await reader.POST('/v1/persons/lookup', { body: { idNumber } });
  const missing = await reader.GET('/v1/persons/{id}', { params: { path: { id: '${randomUUID()}' } } });
  const errors: { status: number; code: string | undefined; message: string | undefined }[] = [
    { status: forbidden.response.status, code: forbidden.error?.code, message: forbidden.error?.message },
    { status: missing.response.status, code: missing.error?.code, message: missing.error?.message },
  ];
  return { listed, nextCursor, single: { id: single.data.id, name: single.data.name, idNumber: single.data.idNumber, memberships }, treeMembers, found, errors };
}
`;

interface TruthPerson { name: string; id_number: string; category: string }
type ReadRegistry = (create: typeof createClient, baseUrl: string, keys: { read: string; pii: string }, idNumber: string, surname: string) => Promise<{
  listed: { id: string; name: string; idNumber: string | null }[]; nextCursor: string | null;
  single: { id: string; name: string; idNumber: string | null; memberships: string[] }; treeMembers: number | null;
  found: { id: string; name: string; idNumber: string | null }; errors: { status: number; code: string | undefined; message: string | undefined }[];
}>;

/** Every route Nest's controllers declare, as OpenAPI paths (`/v1/persons/{id}`) with their method. */
function nestRoutes(app: NestFastifyApplication): { method: string; path: string }[] {
  const scanner = new MetadataScanner();
  const routes: { method: string; path: string }[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, metatype)].flat() as string[];
      for (const name of scanner.getAllMethodNames(metatype.prototype)) {
        const handler = metatype.prototype[name];
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            const joined = `/${[prefix, path].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
            routes.push({ method, path: joined.replace(/:(\w+)/g, '{$1}') });
          }
        }
      }
    }
  }
  return routes;
}

describe('the OpenAPI document and a client generated from it', () => {
  let database: TestDatabase;
  let cityDir: string;
  let clientDir: string;
  let app: NestFastifyApplication;
  let document: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  let persons: TruthPerson[];

  beforeAll(async () => {
    cityDir = mkdtempSync(join(tmpdir(), 'qc-openapi-city-'));
    database = await createTestDatabase();
    await importGeneratedCity(cityDir, { seed: 'e2e-openapi', members: 400 });
    persons = parse(readFileSync(join(cityDir, 'truth/persons.csv')), { columns: true });
    app = await startApi();
    await app.listen(0, '127.0.0.1');
    document = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
    // Under the project, so the generated module resolves openapi-fetch from its node_modules.
    mkdirSync(join(PROJECT_ROOT, 'data'), { recursive: true });
    clientDir = mkdtempSync(join(PROJECT_ROOT, 'data', 'openapi-client-'));
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
    rmSync(cityDir, { recursive: true, force: true });
    if (clientDir) rmSync(clientDir, { recursive: true, force: true });
  });

  it('is a valid OpenAPI 3 document', async () => {
    expect(document.openapi).toMatch(/^3\.0\./);
    // validate() checks the document against the official OpenAPI 3.0 JSON schema, then resolves every $ref.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('documents every route Nest registers, and only those', () => {
    const fastify = app.getHttpAdapter().getInstance();
    const registered = nestRoutes(app);
    expect(registered.length).toBeGreaterThan(30);
    for (const { method, path } of registered) {
      expect({ method, path, registered: fastify.hasRoute({ method, url: path.replace(/\{(\w+)\}/g, ':$1') }) }).toEqual({ method, path, registered: true });
      expect({ method, path, documented: Boolean(document.paths[path]?.[method.toLowerCase()]) }).toEqual({ method, path, documented: true });
    }
    const documented = Object.entries(document.paths as Record<string, object>).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(registered.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('generates a typed client that compiles and reads the running API', async () => {
    // openapi-typescript's own command (it is ESM, which Jest's module loader cannot require), as an integrator runs it.
    writeFileSync(join(clientDir, 'openapi.json'), JSON.stringify(document));
    const generator = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
    await promisify(execFile)(process.execPath, [generator, join(clientDir, 'openapi.json'), '--output', join(clientDir, 'registry-api.ts')]);
    writeFileSync(join(clientDir, 'calls.ts'), CALLS);
    const program = ts.createProgram([join(clientDir, 'calls.ts')], {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, types: [], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const keys = app.get(ApiKeysService);
    const read = (await keys.create('openapi-reader', ['registry:read'], 'test')).key;
    const pii = (await keys.create('openapi-pii', ['registry:read', 'registry:read-pii'], 'test')).key;
    // A full member of the commonest surname, so a name search has several pages.
    const full = persons.filter((p) => p.category === 'full');
    const bySurname = new Map<string, number>();
    for (const p of full) bySurname.set([...p.name][0], (bySurname.get([...p.name][0]) ?? 0) + 1);
    const surname = [...bySurname].sort((a, b) => b[1] - a[1])[0][0];
    const member = full.find((p) => p.name.startsWith(surname))!;
    const { readRegistry } = require(join(clientDir, 'calls.ts')) as { readRegistry: ReadRegistry }; // eslint-disable-line @typescript-eslint/no-require-imports
    const result = await readRegistry(createClient, await app.getUrl(), { read, pii }, member.id_number, surname);

    expect(result.listed).toHaveLength(3);
    for (const p of result.listed) {
      expect(p.name.startsWith(surname)).toBe(true);
      if (p.idNumber !== null) expect(p.idNumber).toMatch(/\*{8}/);
    }
    expect(result.nextCursor).toEqual(expect.any(String));
    expect(result.single).toMatchObject({ id: result.listed[0].id, name: result.listed[0].name });
    expect(result.single.memberships.length).toBeGreaterThan(0);
    expect(result.treeMembers).toBeGreaterThan(0);
    // The clear number comes back only to the read-pii key; compared, never printed.
    expect(result.found.idNumber === member.id_number).toBe(true);
    expect(result.found.name).toBe(member.name);
    expect(result.errors).toEqual([
      { status: 403, code: 'forbidden', message: expect.stringContaining('registry:read-pii') },
      { status: 404, code: 'not_found', message: expect.stringMatching(/^no person /) },
    ]);
  });
});

import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../../libs/auth/src';
import { Scope } from '../../libs/database/src';
import { ImportsService, ImportSummary } from '../../libs/ingestion/src';
import { startApi, startRegistry } from './registry-app';
import { createTestDatabase, TestDatabase } from './test-database';

/**
 * A fresh test database with the HTTP API and an in-process importer over it: the set-up of the
 * tests that import small files, then read, curate or roll back the registry through the API.
 */
export class RegistryUnderTest {
  private constructor(
    private readonly database: TestDatabase,
    readonly app: NestFastifyApplication,
    readonly importer: TestingModule,
  ) {}

  static async open(): Promise<RegistryUnderTest> {
    const database = await createTestDatabase();
    const app = await startApi();
    // startRegistry seeds the reference divisions.
    const importer = await startRegistry('in-process');
    return new RegistryUnderTest(database, app, importer);
  }

  /** A registry of its own for one piece of work, closed whatever the work does. */
  static async using<T>(work: (registry: RegistryUnderTest) => Promise<T>): Promise<T> {
    const registry = await RegistryUnderTest.open();
    try {
      return await work(registry);
    } finally {
      await registry.close();
    }
  }

  get db(): DataSource {
    return this.app.get<DataSource>(getDataSourceToken());
  }

  /** A new API key with these scopes. */
  async key(name: string, scopes: Scope[]): Promise<string> {
    return (await this.app.get(ApiKeysService).create(name, scopes, 'test')).key;
  }

  /** Imports one file and waits for its batch to end. */
  async importFile(path: string): Promise<ImportSummary> {
    const imports = this.importer.get(ImportsService);
    return imports.waitFor((await imports.submit(path, 'test')).id, undefined, 50);
  }

  call(method: 'GET' | 'POST', url: string, key: string, payload?: object) {
    return this.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
  }

  /** The ids of the persons of this name, oldest first. */
  async personsNamed(name: string): Promise<string[]> {
    return (await this.db.query(`SELECT id::text FROM person WHERE name = $1 ORDER BY created_at, id`, [name])).map((r: { id: string }) => r.id);
  }

  /** Everything a merge and an unmerge may touch of one person, without timestamps. */
  async personSnapshot(id: string) {
    return {
      person: (await this.db.query(
        `SELECT name, gender, birth_date::text, birth_precision, id_number_hmac, id_digits, id_evidence, phone_hmac, phone_masked, workplace, residence, education, lineage
           FROM person WHERE id = $1`, [id]))[0],
      links: await this.db.query(`SELECT source_record_id::text, role, method FROM record_link_entry WHERE entity_type = 'person' AND entity_id = $1 ORDER BY source_record_id, role`, [id]),
      memberships: await this.db.query(`SELECT id, organization_id, status, category, joined_on::text, lineage FROM membership WHERE person_id = $1 ORDER BY id`, [id]),
    };
  }

  async close(): Promise<void> {
    await this.importer.close();
    await this.app.close();
    await this.database.drop();
  }
}

import { Client } from 'pg';
import { DataSource } from 'typeorm';
// Global setup runs outside Jest's module mapping, so it imports files, not @qc aliases.
import { dataSourceOptions } from '../../libs/database/src/data-source-options';
import { migrate } from '../../libs/database/src/migrations';
import { startEmbeddedPostgres } from '../../libs/database/src/embedded-postgres';
import { PROJECT_ROOT } from '../../libs/config/src/load-config';
import { join } from 'node:path';
import { canReachPostgres, canReachRedis, IN_CI } from './services';

/** One template per run, so that test runs started side by side never drop each other's template. */
export function templateDatabase(): string {
  return process.env.QC_TEST_TEMPLATE ?? 'qc_test_template';
}

/**
 * Once per run: find PostgreSQL (DATABASE_URL, or an embedded server outside CI), build a migrated
 * template database that every test file copies, and check Redis when it is configured.
 */
export default async function globalSetup(): Promise<void> {
  if (IN_CI && (!process.env.DATABASE_URL || !process.env.REDIS_URL)) {
    throw new Error('under CI=true the end-to-end tests need DATABASE_URL and REDIS_URL');
  }
  if (!process.env.DATABASE_URL) {
    const server = await startEmbeddedPostgres(join(PROJECT_ROOT, 'data', 'test'), 54339, () => undefined);
    (globalThis as Record<string, unknown>).__embeddedPostgres = server;
    process.env.DATABASE_URL = server.url;
  }
  const adminUrl = process.env.DATABASE_URL;
  const unreachable = await canReachPostgres(adminUrl);
  if (unreachable) throw new Error(`PostgreSQL at DATABASE_URL is not reachable: ${unreachable}`);
  if (process.env.REDIS_URL) {
    const redisDown = await canReachRedis(process.env.REDIS_URL);
    if (redisDown) throw new Error(`Redis at REDIS_URL is not reachable: ${redisDown}`);
  }

  process.env.QC_TEST_TEMPLATE = `qc_test_template_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase()} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${templateDatabase()}`);
  await admin.end();
  const template = new DataSource(dataSourceOptions(withDatabase(adminUrl, templateDatabase())));
  await template.initialize();
  await migrate(template);
  await template.destroy();
  process.env.QC_TEST_ADMIN_URL = adminUrl;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

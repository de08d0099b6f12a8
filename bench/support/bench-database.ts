import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ChangeRecorder } from '@qc/changes';
import { dataSourceOptions, migrate } from '@qc/database';
import { DivisionsService } from '@qc/divisions';

export interface BenchDatabase {
  name: string;
  url: string;
  /** Environment for a registry process working in this database, with jobs under a queue prefix of its own. */
  env: NodeJS.ProcessEnv;
  drop(): Promise<void>;
}

/** Databases not yet dropped, so an interrupted run can still clean up. */
const live = new Set<BenchDatabase>();

export function benchDatabaseName(): string {
  return `qc_bench_${randomBytes(5).toString('hex')}`;
}

/** The same server and credentials, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh database on the server of `adminUrl`, migrated and seeded with the reference divisions
 * by the same code as `qingcheng db migrate` and `db seed`. Dropping it also deletes its queue keys.
 */
export async function createBenchDatabase(adminUrl: string, redisUrl: string): Promise<BenchDatabase> {
  const name = benchDatabaseName();
  await runSql(adminUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const database: BenchDatabase = {
    name,
    url,
    // A throwaway PII key keeps the run away from the project's data/pii.key.
    env: { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl, QC_QUEUE_PREFIX: name, QC_PII_KEY: randomBytes(32).toString('base64') },
    async drop() {
      live.delete(database);
      await runSql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await deleteQueueKeys(redisUrl, name);
    },
  };
  live.add(database);
  try {
    await migrateAndSeed(url);
  } catch (err) {
    await database.drop();
    throw err;
  }
  return database;
}

export async function dropAllBenchDatabases(): Promise<void> {
  for (const database of [...live]) await database.drop();
}

async function migrateAndSeed(url: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    await migrate(dataSource);
    await new DivisionsService(dataSource, new ChangeRecorder()).seedReference();
  } finally {
    await dataSource.destroy();
  }
}

/** One statement on its own connection. */
export async function runSql(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

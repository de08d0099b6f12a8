/** A database and a job queue of the run's own, so an evaluation never touches anyone's registry. */
import { AppConfig } from '@qc/config';
import { resolveDatabaseUrl } from '@qc/database';
import { QueueName, redisConnection } from '@qc/jobs';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface EvalDatabase {
  name: string;
  url: string;
  /** Where it lives, for the report (never the URL: it may hold a password). */
  server: string;
  drop(): Promise<void>;
}

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database on DATABASE_URL's server, or on the embedded server (started when needed). */
export async function createEvalDatabase(config: AppConfig): Promise<EvalDatabase> {
  const adminUrl = await resolveDatabaseUrl(config);
  const name = `qc_eval_${randomBytes(5).toString('hex')}`;
  await onServer(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    server: config.databaseUrl ? `DATABASE_URL (${url.host})` : `embedded (${url.host})`,
    // FORCE: a connection left behind by a failed run must not keep the database alive.
    drop: () => onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface EvalQueue {
  transport: 'bullmq' | 'in-process';
  remove(): Promise<void>;
}

/**
 * With REDIS_URL the run's jobs go through BullMQ under a prefix of their own: a worker serving another
 * database must never take them. Sets QC_QUEUE_PREFIX, so call it before the application is built.
 */
export function isolateQueue(config: AppConfig): EvalQueue {
  if (!config.redisUrl) return { transport: 'in-process', remove: async () => undefined };
  const prefix = `qc-eval-${randomBytes(5).toString('hex')}`;
  process.env.QC_QUEUE_PREFIX = prefix;
  return {
    transport: 'bullmq',
    remove: async () => {
      const queue = new Queue(QueueName.Imports, { connection: redisConnection(config.redisUrl!), prefix });
      try {
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
      }
    },
  };
}

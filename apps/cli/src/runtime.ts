import { Abstract, Injectable, INestApplicationContext, OnApplicationShutdown, Type } from '@nestjs/common';
import type { AppConfig } from '@qc/config';
import type { JobQueue } from '@qc/jobs';
import { UsageError } from './output';

/** How long the CLI waits for PostgreSQL or Redis before saying it cannot reach it (once, no retries). */
const CONNECT_TIMEOUT_MS = 3000;

/** host:port of a database URL, never its password. */
export function databaseAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

/** One attempt to reach the configured PostgreSQL; a person gets one line saying what to do instead of minutes of retries. */
export async function assertDatabaseReachable(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
  } catch (err) {
    // A socket's code (ECONNREFUSED) says it; PostgreSQL's own refusals (a wrong password, no such database) say it in words.
    const code = (err as NodeJS.ErrnoException).code;
    const cause = code && /^E[A-Z]+$/.test(code) ? code : (err as Error).message;
    throw new UsageError(`cannot reach PostgreSQL at ${databaseAddress(url)} (${cause}): start it, or fix DATABASE_URL (unset it to use the embedded server)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One attempt to reach the configured Redis: without it queued jobs would wait for it silently. */
export async function assertRedisReachable(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The socket's error (ECONNREFUSED) says more than the connect's rejection (the connection is closed).
  let socketError: NodeJS.ErrnoException | undefined;
  redis.on('error', (err: NodeJS.ErrnoException) => (socketError ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    const cause = socketError?.code ?? (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`cannot reach Redis at ${new URL(url).host} (${cause}): start it, or unset REDIS_URL to run the jobs in this process`);
  } finally {
    redis.disconnect();
  }
}

/** The validated configuration, loaded on first use (a bad value is a ConfigError, printed as one line). */
export async function appConfig(): Promise<AppConfig> {
  const { loadConfig } = await import('@qc/config');
  return loadConfig();
}

/**
 * The registry's services, built on the first `get` by the command that runs and closed once when the
 * CLI ends: commands that need no database never load them.
 */
@Injectable()
export class Runtime implements OnApplicationShutdown {
  private context?: Promise<INestApplicationContext>;

  async get<T>(token: Type<T> | Abstract<T>): Promise<T> {
    this.context ??= this.open();
    return (await this.context).get(token, { strict: false });
  }

  /** The job queue, once Redis (when configured) answers. */
  async queue(): Promise<JobQueue> {
    const { redisUrl } = await appConfig();
    if (redisUrl) await assertRedisReachable(redisUrl);
    return this.get((await import('@qc/jobs')).JobQueue);
  }

  private async open(): Promise<INestApplicationContext> {
    const config = await appConfig();
    if (config.databaseUrl) await assertDatabaseReachable(config.databaseUrl);
    const [{ NestFactory }, { ServicesModule }] = await Promise.all([import('@nestjs/core'), import('./services.module')]);
    // Nest's own logger would print a failed start-up with its stack; the CLI prints the cause as one line.
    return NestFactory.createApplicationContext(ServicesModule, { logger: ['warn'], abortOnError: false });
  }

  /** Closes the services exactly once, however many ways the CLI is asked to stop. */
  async onApplicationShutdown(): Promise<void> {
    const context = this.context;
    this.context = undefined;
    if (context) await (await context.catch(() => undefined))?.close();
  }
}

import { Abstract, Injectable, INestApplicationContext, OnApplicationShutdown, Type } from '@nestjs/common';
import type { AppConfig } from '@qc/config';
import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
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

/** What a command does with the registry: each feature names the modules it needs (services.module.ts). */
export type Feature = 'keys' | 'divisions' | 'registry' | 'reports' | 'jobs' | 'imports' | 'inboxes';

/** Features that cannot be built without others (a batch is submitted through the job queue). */
const REQUIRES: Partial<Record<Feature, Feature[]>> = { imports: ['jobs'], inboxes: ['imports', 'jobs'] };

/** The features asked for with those they need, each once. */
export function withRequirements(features: readonly Feature[]): Set<Feature> {
  const all = new Set<Feature>();
  const add = (feature: Feature): void => {
    if (all.has(feature)) return;
    all.add(feature);
    for (const needed of REQUIRES[feature] ?? []) add(needed);
  };
  features.forEach(add);
  return all;
}

/** The data folder (QC_DATA_DIR), made when missing: one line when this user cannot write there, not a stack from deep inside. */
export async function assertWritableFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`cannot write the data folder ${folder} (${code}): set QC_DATA_DIR to a folder this user can write`);
  }
}

/** What the registry's services need, tried before Nest builds them: a failure is one line instead of Nest's stack. */
export async function assertServicesCanStart(config: AppConfig): Promise<void> {
  // The generated personal-data key and the embedded database live in the data folder.
  if (!config.piiKey || !config.databaseUrl) await assertWritableFolder(config.dataDir);
  if (config.databaseUrl) await assertDatabaseReachable(config.databaseUrl);
}

/** The validated configuration, loaded on first use (a bad value is a ConfigError, printed as one line). */
export async function appConfig(): Promise<AppConfig> {
  const { loadConfig } = await import('@qc/config');
  return loadConfig();
}

/**
 * The registry's services, built by the command that runs when it first asks for one, with the modules
 * of the features it names only, and closed once when the CLI ends: commands that need no database
 * never load them, and `keys list` never loads the import engine.
 */
@Injectable()
export class Runtime implements OnApplicationShutdown {
  private opened?: { features: Set<Feature>; context: Promise<INestApplicationContext> };

  /** A service from the modules of these features (none: configuration, logging, the database and personal data). */
  async get<T>(token: Type<T> | Abstract<T>, ...features: Feature[]): Promise<T> {
    return (await this.open(...features)).get(token, { strict: false });
  }

  /** The job queue, once Redis (when configured) answers. */
  async queue(): Promise<JobQueue> {
    const { redisUrl } = await appConfig();
    if (redisUrl) await assertRedisReachable(redisUrl);
    return this.get((await import('@qc/jobs')).JobQueue, 'jobs');
  }

  /**
   * Builds the services once per run. A built context takes no more modules, so a command that needs
   * several features names them all in its first call (asking later for one it lacks is a bug).
   */
  open(...features: Feature[]): Promise<INestApplicationContext> {
    const wanted = withRequirements(features);
    this.opened ??= { features: wanted, context: this.build(wanted) };
    const missing = [...wanted].filter((feature) => !this.opened!.features.has(feature));
    if (missing.length > 0) return Promise.reject(new Error(`the services were built without ${missing.join(', ')}: name every feature in the command's first call`));
    return this.opened.context;
  }

  private async build(features: Set<Feature>): Promise<INestApplicationContext> {
    await assertServicesCanStart(await appConfig());
    const [{ NestFactory }, { servicesModule }] = await Promise.all([import('@nestjs/core'), import('./services.module')]);
    // Nest's own logger would print a failed start-up a second time, with its stack; the CLI prints it once.
    return NestFactory.createApplicationContext(await servicesModule(features), { logger: false, abortOnError: false });
  }

  /** Closes the services exactly once, however many ways the CLI is asked to stop. */
  async onApplicationShutdown(): Promise<void> {
    const context = this.opened?.context;
    this.opened = undefined;
    if (context) await (await context.catch(() => undefined))?.close();
  }
}

import { Abstract, Injectable, INestApplicationContext, OnApplicationShutdown, Type } from '@nestjs/common';
import type { AppConfig } from '@qc/config';
import { UsageError } from './output';

/** How long the CLI waits for PostgreSQL before saying it cannot reach it (once, no retries). */
const DATABASE_CONNECT_TIMEOUT_MS = 3000;

/** host:port of a database URL, never its password. */
export function databaseAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
}

/** One attempt to reach the configured PostgreSQL; a person gets one line saying what to do instead of minutes of retries. */
export async function assertDatabaseReachable(url: string, timeoutMs = DATABASE_CONNECT_TIMEOUT_MS): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
  } catch (err) {
    const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`cannot reach PostgreSQL at ${databaseAddress(url)} (${cause}): start it, or fix DATABASE_URL (unset it to use the embedded server)`);
  } finally {
    await client.end().catch(() => undefined);
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

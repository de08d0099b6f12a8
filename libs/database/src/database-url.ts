import { AppConfig } from '@qc/config';
import { EmbeddedServer, startEmbeddedPostgres } from './embedded-postgres';

let embedded: Promise<EmbeddedServer> | undefined;

/** DATABASE_URL when configured; otherwise the embedded server, started once per process. */
export async function resolveDatabaseUrl(config: AppConfig, onLog: (line: string) => void = () => undefined): Promise<string> {
  if (config.databaseUrl) return config.databaseUrl;
  embedded ??= startEmbeddedPostgres(config.dataDir, config.embeddedPostgresPort, onLog);
  return (await embedded).url;
}

export async function stopEmbeddedPostgres(): Promise<void> {
  if (!embedded) return;
  const server = await embedded;
  embedded = undefined;
  await server.stop();
}

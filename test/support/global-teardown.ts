import { EmbeddedServer } from '../../libs/database/src/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as Record<string, unknown>).__embeddedPostgres as EmbeddedServer | undefined;
  if (server) await server.stop();
}

import { Client } from 'pg';
import { EmbeddedServer } from '../../libs/database/src/embedded-postgres';
import { templateDatabase } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.QC_TEST_ADMIN_URL;
  if (adminUrl) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase()} WITH (FORCE)`);
    await admin.end();
  }
  const server = (globalThis as Record<string, unknown>).__embeddedPostgres as EmbeddedServer | undefined;
  if (server) await server.stop();
}

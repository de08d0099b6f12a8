/**
 * The baseline of the API benchmark: a minimal plain Fastify server (no Nest, no auth, no
 * validation) running the very same read-model SQL (PersonQuery, OrganizationQuery) on a pg pool.
 * `PORT` and `DATABASE_URL` from the environment; listens on 127.0.0.1 only.
 */
import 'reflect-metadata';
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PersonalDataReader, PiiCipher } from '@qc/pii';
import { MAX_TREE_DEPTH, OrganizationQuery, PersonQuery } from '@qc/query';
import { DataSource } from 'typeorm';

async function main(): Promise<void> {
  // The same pool size as the API's TypeORM connection (pg's default of 10).
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const dataSource = { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows } as unknown as DataSource;
  const cipher = new PiiCipher(randomBytes(32));
  const persons = new PersonQuery(dataSource, new PersonalDataReader(cipher, dataSource), cipher);
  const organizations = new OrganizationQuery(dataSource);
  const reader = { actor: 'bench', apiKeyId: null, mayReadPii: false };

  const app = Fastify({ logger: false });
  app.get<{ Params: { id: string } }>('/persons/:id', async (req, reply) => (await persons.get(req.params.id, reader)) ?? reply.code(404).send());
  app.get<{ Params: { id: string } }>('/organizations/:id/tree', async (req, reply) => (await organizations.tree(req.params.id, MAX_TREE_DEPTH)) ?? reply.code(404).send());
  app.get<{ Querystring: { q: string } }>('/persons', async (req) => persons.list({ q: req.query.q, limit: 50 }, reader));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stderr.write('baseline listening\n');
}

main().catch((err: Error) => {
  process.stderr.write(`baseline: ${err.message}\n`);
  process.exit(1);
});

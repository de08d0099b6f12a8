import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../libs/auth/src';
import { startApi } from './support/registry-app';
import { createTestDatabase, TestDatabase } from './support/test-database';

const HEAD = '--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="roster.csv"\r\nContent-Type: text/csv\r\n\r\n';
const ROWS = '社区代码,社区名称\r\n150105001019,兴康社区\r\n';

/** The API's database pool (libs/database: extra.max). */
const POOL_SIZE = 10;

/** This process's open file descriptors (the API runs in it). */
const openFiles = () => readdirSync('/proc/self/fd').length;

async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('uploads that always end (real sockets)', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: NestFastifyApplication;
  let port: number;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'qc-upload-data-'));
    process.env.QC_DATA_DIR = dataDir;
    process.env.QC_UPLOAD_TIMEOUT_MS = '1000';
    app = await startApi();
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    key = (await app.get(ApiKeysService).create('importer', ['imports:write'], 'test')).key;
  }, 30_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
    delete process.env.QC_DATA_DIR;
    delete process.env.QC_UPLOAD_TIMEOUT_MS;
  });

  const uploadedFiles = () => readdirSync(join(dataDir, 'uploads'), { recursive: true }).length;

  /**
   * POSTs `body` (BOUNDARY replaced by the request's boundary) to /v1/imports over a socket of its
   * own, announcing `declaredBytes` (the body's own length unless given) and never closing its
   * side; resolves with the status code once the server has answered and closed the connection.
   */
  function post(body: string, declaredBytes?: number): Promise<number> {
    const boundary = `----qc${randomUUID()}`;
    const bytes = Buffer.from(body.replaceAll('BOUNDARY', boundary));
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => { answer += chunk.toString('latin1'); });
      socket.on('error', reject);
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
      socket.write([
        'POST /v1/imports HTTP/1.1', `Host: 127.0.0.1:${port}`, `Authorization: Bearer ${key}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`, `Content-Length: ${declaredBytes ?? bytes.length}`, 'Connection: close', '', '',
      ].join('\r\n'));
      socket.write(bytes);
    });
  }

  it('answers 400 to 50 bodies that end inside the file part or without a closing boundary, and keeps no file or file handle', async () => {
    const truncated = [`${HEAD}${ROWS}`, `${HEAD}${ROWS.repeat(20_000)}`, `${HEAD}${ROWS}\r\n--BOUNDARY\r\nContent-Disposition: form-data; name="note"\r\n\r\nab`, HEAD.slice(0, 40)];
    const round = (offset: number) => Promise.all(Array.from({ length: 10 }, (_, i) => post(truncated[(offset + i) % truncated.length])));
    // First the rate limiter's Redis connection and every connection the database pool may hold are opened,
    // so that only what the uploads leave behind is counted.
    await round(0);
    await Promise.all(Array.from({ length: POOL_SIZE }, () => app.get(DataSource).query('SELECT pg_sleep(0.1)')));
    const before = openFiles();

    const statuses: number[] = [];
    for (let offset = 0; offset < 50; offset += 10) statuses.push(...(await round(offset)));

    expect(statuses).toEqual(Array(50).fill(400));
    await eventually(() => openFiles() <= before);
    expect(openFiles()).toBeLessThanOrEqual(before);
    expect(uploadedFiles()).toBe(0);
  }, 60_000);

  it('answers 400 and closes the connection when a body stalls half-way, keeping no file', async () => {
    const sent = `${HEAD}${ROWS}`;
    expect(await post(sent, Buffer.byteLength(sent) + 10_000)).toBe(400);
    expect(await post(HEAD.slice(0, 30), 10_000)).toBe(400);
    expect(uploadedFiles()).toBe(0);
  }, 30_000);

  it('still takes a complete upload', async () => {
    expect(await post(`${HEAD}${ROWS}\r\n--BOUNDARY--\r\n`)).toBe(202);
    expect(uploadedFiles()).toBe(2);
  });
});

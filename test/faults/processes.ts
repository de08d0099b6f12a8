import { Test, TestingModule } from '@nestjs/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ConfigModule } from '../../libs/config/src';
import { DatabaseModule } from '../../libs/database/src';
import { DivisionsModule, DivisionsService } from '../../libs/divisions/src';
import { IngestionModule } from '../../libs/ingestion/src';
import { ConsumeMode, JobsModule } from '../../libs/jobs/src';
import { LoggingModule } from '../../libs/logging/src';
import { PiiModule } from '../../libs/pii/src';

const ROOT = join(__dirname, '../..');

/** A child process whose stderr is kept, so a test can wait for a line and show it on failure. */
export interface Child {
  process: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
  /** SIGTERM (a clean shutdown), and wait until it is gone. */
  stop(): Promise<void>;
}

function track(child: ChildProcess, name: string): Child {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    process: child,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** Node's options in `npm run start:worker`: the heap cap production runs under. */
export const PRODUCTION_WORKER_NODE_OPTIONS = ['--max-old-space-size=512'];

/** apps/worker as production runs it, against the given environment (database, Redis, queue prefix). */
export async function startWorker(env: Record<string, string>, nodeOptions: string[] = []): Promise<Child> {
  const child = spawn(process.execPath, [...nodeOptions, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, QC_INBOXES: '[]', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker = track(child, 'the worker');
  await worker.waitFor(/worker consuming import jobs/, 90_000);
  return worker;
}

/** A worker kept running as a service manager keeps it: started again each time it exits. */
export interface SupervisedWorker {
  /** How many times the worker exited (crashed) while supervised. */
  exits(): number;
  /** The output of every run so far. */
  output(): string;
  /** Stops supervising, and the worker (SIGTERM). */
  stop(): Promise<void>;
}

export async function superviseWorker(env: Record<string, string>, nodeOptions: string[] = []): Promise<SupervisedWorker> {
  let exits = 0;
  let earlier = '';
  let stopping = false;
  let current = await startWorker(env, nodeOptions);
  let restarting: Promise<void> = Promise.resolve();
  const watch = (worker: Child) => worker.process.once('exit', () => {
    if (stopping) return;
    exits++;
    earlier += worker.output();
    restarting = startWorker(env, nodeOptions).then((next) => {
      current = next;
      if (stopping) return next.stop();
      watch(next);
    }, (err: Error) => {
      // The test then waits in vain for its batches, and shows this output when it gives up.
      earlier += `\nthe worker could not be started again: ${err.message}\n`;
    });
  });
  watch(current);
  return {
    exits: () => exits,
    output: () => earlier + current.output(),
    async stop() {
      stopping = true;
      await restarting.catch(() => undefined);
      await current.stop();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of the test's own on a loopback port, without persistence: a restart loses every key. */
export async function startRedis(port: number): Promise<Child> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const redis = track(child, 'redis-server');
  await redis.waitFor(/Ready to accept connections/, 10_000);
  return redis;
}

/** The API side (never consumes) or the CLI side (consumes only when no worker runs): records batches and enqueues them on Redis. */
export async function startProducer(redisUrl: string, mode: ConsumeMode = 'never'): Promise<TestingModule> {
  const shared = process.env.REDIS_URL;
  process.env.REDIS_URL = redisUrl;
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot(mode), DivisionsModule, IngestionModule],
    }).compile();
    await moduleRef.init();
    await moduleRef.get(DivisionsService).seedReference();
    return moduleRef;
  } finally {
    process.env.REDIS_URL = shared;
  }
}

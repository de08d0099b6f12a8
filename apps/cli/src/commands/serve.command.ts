import { Command, CommandRunner } from 'nest-commander';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer } from 'node:net';
import { appConfig, assertServicesCanStart } from '../runtime';
import { Output, UsageError } from '../output';

/** Resolves when the process is asked to stop. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** Why the API could not listen there, as a person acts on it; null for any other error. */
function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): string | null {
  if (err.code === 'EADDRINUSE') return `port ${port} on ${host} is in use: stop what listens there, or choose another with PORT`;
  if (err.code === 'EADDRNOTAVAIL') return `cannot listen on ${host}: it is no address of this machine; fix HOST`;
  if (err.code === 'EACCES') return `port ${port} needs privileges this user lacks; choose another with PORT`;
  return null;
}

/** Binds the address for a moment: Nest would log a failed listen with its stack before the CLI could say it in one line. */
export function assertCanListen(host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const problem = listenProblem(err, host, port);
      fail(problem ? new UsageError(problem) : err);
    });
    probe.listen(port, host, () => probe.close(() => done()));
  });
}

/**
 * Starts the API in this process. The CLI closes it itself when asked to stop (once: Nest's own
 * shutdown hooks would close it a second time).
 */
export async function startApi(): Promise<NestFastifyApplication> {
  const config = await appConfig();
  await assertCanListen(config.host, config.port);
  await assertServicesCanStart(config);
  const { createApi } = await import('../../../api/src/bootstrap');
  const app = await createApi({ shutdownHooks: false });
  await app.listen(config.port, config.host);
  return app;
}

@Command({ name: 'serve', description: 'start the HTTP API (PORT, default 3000)' })
export class ServeCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const app = await startApi();
    this.out.line(`API listening on ${await app.getUrl()} (workbench at /, docs at /docs); Ctrl-C stops it`);
    await untilStopped();
    await app.close();
  }
}

import { Command, CommandRunner } from 'nest-commander';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { appConfig } from '../runtime';
import { Output, UsageError } from '../output';

/** Resolves when the process is asked to stop. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * Starts the API in this process. The CLI closes it itself when asked to stop (once: Nest's own
 * shutdown hooks would close it a second time); a port in use is said in one line.
 */
export async function startApi(): Promise<NestFastifyApplication> {
  const [{ createApi }, config] = await Promise.all([import('../../../api/src/bootstrap'), appConfig()]);
  const app = await createApi({ shutdownHooks: false });
  try {
    await app.listen(config.port, config.host);
  } catch (err) {
    await app.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${config.port} on ${config.host} is in use: stop what listens there, or choose another with PORT`);
    if (code === 'EADDRNOTAVAIL') throw new UsageError(`cannot listen on ${config.host}: it is no address of this machine; fix HOST`);
    throw err;
  }
  return app;
}

@Command({ name: 'serve', description: 'start the HTTP API (PORT, default 3000)' })
export class ServeCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const app = await startApi();
    this.out.line(`API listening on ${await app.getUrl()} (docs at /docs); Ctrl-C stops it`);
    await untilStopped();
    await app.close();
  }
}

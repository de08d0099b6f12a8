import { Command, CommandRunner } from 'nest-commander';
import { serveApi } from '../../../api/src/bootstrap';
import { Output } from '../output';

/** Resolves when the process is asked to stop. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

@Command({ name: 'serve', description: 'start the HTTP API (PORT, default 3000)' })
export class ServeCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const app = await serveApi();
    this.out.line(`API listening on ${await app.getUrl()} (docs at /docs); Ctrl-C stops it`);
    await untilStopped();
    await app.close();
  }
}

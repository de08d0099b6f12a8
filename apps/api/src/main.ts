import 'reflect-metadata';
import { serveApi } from './bootstrap';

void serveApi().then(
  async (app) => process.stderr.write(`Qingcheng Registry API listening on ${await app.getUrl()}\n`),
  (err: Error) => {
    process.stderr.write(`the API could not start: ${err.message}\n`);
    process.exit(1);
  },
);

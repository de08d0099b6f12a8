import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROJECT_ROOT } from '@qc/config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run build:web` (run by `npm ci` and `npm run build`) writes the workbench. */
export const WORKBENCH_DIR = join(PROJECT_ROOT, 'dist', 'web');
const ASSETS_DIR = join(WORKBENCH_DIR, 'assets');

// Scripts only from this origin; the component library writes its styles inline (CSS-in-JS).
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Serves the workbench (apps/web, built) at / from the API's own origin. The files are public: all
 * they show comes from /v1 with the key signed in with. Each built file gets a route of its own
 * (no wildcard), so an unknown path still gets the API's own 404. The former reports page's
 * address leads to the workbench's reports.
 */
export async function registerWorkbench(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  for (const path of ['/reports', '/reports/']) fastify.get(path, (_request, reply) => reply.redirect('/#/reports'));
  if (!existsSync(join(WORKBENCH_DIR, 'index.html'))) {
    fastify.get('/', (_request, reply) => reply.code(503).type('text/plain; charset=utf-8').send('工作台尚未构建：请运行 npm run build:web（npm ci 会自动运行）。\n'));
    return;
  }
  await app.register(fastifyStatic, {
    root: WORKBENCH_DIR,
    prefix: '/',
    index: 'index.html',
    wildcard: false,
    decorateReply: false,
    setHeaders: (response, path) => {
      response.setHeader('content-security-policy', CSP);
      // Built assets carry their content hash in their name; the page that names them is asked for each time.
      response.setHeader('cache-control', path.startsWith(ASSETS_DIR) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

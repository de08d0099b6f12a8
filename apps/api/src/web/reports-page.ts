import fastifyStatic from '@fastify/static';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PROJECT_ROOT } from '@qc/config';
import { join } from 'node:path';

// The page's only script is its own file; its only inline code is a style block.
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Serves the reports page (static HTML and JS, no build step) at /reports/. It is public: all it
 * shows comes from /v1 with the key typed into it. Files are read from the sources, so the page is
 * the same under ts-node and from dist/.
 */
export async function registerReportsPage(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyStatic, {
    root: join(PROJECT_ROOT, 'apps', 'api', 'src', 'web'),
    prefix: '/reports/',
    index: 'reports.html',
    allowedPath: (path) => path === '/' || /^\/(reports\.html|app\.js)$/.test(path),
    redirect: true,
    decorateReply: false,
    setHeaders: (response) => response.setHeader('content-security-policy', CSP),
  });
}

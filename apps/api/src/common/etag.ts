import { RouteConfig } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';

/** A weak validator of a serialised response body: equal bodies, equal tags. */
export function etagOf(json: string): string {
  return `W/"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag.replace(/^W\//, ''));
}

/**
 * ETag on a single resource, and 304 with no body when If-None-Match names it. The tag is computed
 * from the body as this key sees it (masked or clear), so it varies with the key.
 */
export const ETag = () => RouteConfig({ etag: true });

/**
 * Tags the answers of routes marked @ETag() from the JSON Fastify has just serialised: no second
 * serialisation, and none of the per-request cost of a Nest interceptor (on the hottest routes).
 */
export function registerETags(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!(request.routeOptions.config as { etag?: boolean }).etag || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const etag = etagOf(payload);
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization');
    if (!matches(request.headers['if-none-match'], etag)) return payload;
    void reply.code(304).removeHeader('Content-Type');
    return null;
  });
}

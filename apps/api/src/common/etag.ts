import { RouteConfig } from '@nestjs/platform-fastify';
import { FastifyInstance } from 'fastify';
import { hash } from 'node:crypto';

/**
 * A weak validator of a serialised response body: equal bodies, equal tags. SHA-1 in one call: a
 * tag only has to change when the body does (chance collisions are what matter, not forged ones),
 * and it costs less per request than SHA-256 through a Hash object.
 */
export function etagOf(body: string | Buffer): string {
  return `W/"${hash('sha1', body, 'base64url')}"`;
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
 * The body is encoded to UTF-8 once, hashed and sent as that buffer; a callback hook, not an async
 * one, spares a promise per answer.
 */
export function registerETags(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!(request.routeOptions.config as { etag?: boolean }).etag || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
    const body = Buffer.from(payload, 'utf8');
    const etag = etagOf(body);
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization');
    if (!matches(request.headers['if-none-match'], etag)) return done(null, body);
    void reply.code(304).removeHeader('Content-Type');
    done(null, null);
  });
}

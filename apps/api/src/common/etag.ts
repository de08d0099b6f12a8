import { RouteConfig } from '@nestjs/platform-fastify';
import { PersonalDataReader, PersonalDataReaderContext } from '@qc/pii';
import { FastifyInstance, FastifyRequest } from 'fastify';
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

function isETagRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { etag?: boolean }).etag === true;
}

/** The readers of ETag requests whose audit waits for the answer (see deferAuditOfConditionalRead). */
const deferredReaders = new WeakMap<FastifyRequest, PersonalDataReaderContext>();

/**
 * On an ETag route, the reader's audit entries are held until the answer goes out: a 304 sends no
 * data, so it writes none (If-None-Match: * matches every answer, so it could otherwise add audit
 * rows at no cost to the caller).
 */
export function deferAuditOfConditionalRead(request: FastifyRequest, reader: PersonalDataReaderContext): PersonalDataReaderContext {
  if (!isETagRoute(request)) return reader;
  const deferred = { ...reader, pendingAudit: [] };
  deferredReaders.set(request, deferred);
  return deferred;
}

/**
 * Tags the answers of routes marked @ETag() from the JSON Fastify has just serialised: no second
 * serialisation, and none of the per-request cost of a Nest interceptor (on the hottest routes).
 * The body is encoded to UTF-8 once, hashed and sent as that buffer; a callback hook, not an async
 * one, spares a promise per answer. The audit entries held for the answer are written before it
 * goes out with its data, and dropped with a 304.
 */
export function registerETags(fastify: FastifyInstance, personalData: PersonalDataReader): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!isETagRoute(request) || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
    const body = Buffer.from(payload, 'utf8');
    const etag = etagOf(body);
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache').header('Vary', 'Authorization');
    if (matches(request.headers['if-none-match'], etag)) {
      void reply.code(304).removeHeader('Content-Type');
      return done(null, null);
    }
    const reader = deferredReaders.get(request);
    if (!reader?.pendingAudit?.length) return done(null, body);
    personalData.writePendingAudit(reader).then(() => done(null, body), done);
  });
}

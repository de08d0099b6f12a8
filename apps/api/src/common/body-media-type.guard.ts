import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';

const JSON_ONLY: readonly string[] = ['application/json'];

/**
 * A request body must be of a media type its route consumes: JSON, unless the route declares
 * otherwise with @ApiConsumes (the upload: multipart/form-data). Anything else (a form body, text,
 * multipart sent to a JSON route) is a 415 before any pipe reads it, so validation never sees, nor
 * echoes, what such a body holds.
 */
@Injectable()
export class BodyMediaTypeGuard implements CanActivate {
  /** Handler → the media types it consumes: read once per route, not per request. */
  private readonly routes = new WeakMap<object, readonly string[]>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const { headers } = context.switchToHttp().getRequest<FastifyRequest>();
    const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
    if (!hasBody) return true;
    const mediaType = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const consumed = this.consumedBy(context.getClass(), context.getHandler());
    if (consumed.includes(mediaType)) return true;
    throw new UnsupportedMediaTypeException(`send the body as ${consumed.join(' or ')}`);
  }

  private consumedBy(controller: object, handler: object): readonly string[] {
    let consumed = this.routes.get(handler);
    if (!consumed) {
      const declared = this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [handler as () => unknown, controller as () => unknown]);
      consumed = declared?.length ? declared.map((type) => type.toLowerCase()) : JSON_ONLY;
      this.routes.set(handler, consumed);
    }
    return consumed;
  }
}

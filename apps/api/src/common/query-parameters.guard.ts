import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { FastifyRequest } from 'fastify';

/** The query parameters a route names one by one; null when it takes its whole query as a DTO, which the validation pipe checks. */
type NamedParameters = ReadonlySet<string> | null;

/**
 * Unknown query parameters are a 400 on every route. A route whose query is a DTO gets that from
 * the validation pipe (forbidNonWhitelisted); a route that declares no query at all (or names its
 * parameters one by one) never reaches the pipe with its query, so this guard refuses, for such a
 * route, every parameter it does not name. The names are not echoed: a name can be anything.
 */
@Injectable()
export class KnownQueryParametersGuard implements CanActivate {
  /** Handler → what it accepts: read once per route, not per request. */
  private readonly routes = new WeakMap<object, NamedParameters>();

  canActivate(context: ExecutionContext): boolean {
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined;
    if (!query) return true;
    const names = Object.keys(query);
    if (names.length === 0) return true;
    const accepted = this.acceptedBy(context.getClass(), context.getHandler());
    if (accepted && names.some((name) => !accepted.has(name))) {
      throw new BadRequestException(accepted.size === 0 ? 'this route takes no query parameters' : `unknown query parameter; this route takes ${[...accepted].join(', ')}`);
    }
    return true;
  }

  private acceptedBy(controller: object, handler: object): NamedParameters {
    if (!this.routes.has(handler)) {
      const methodName = (handler as { name: string }).name;
      const parameters = Object.entries((Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as Record<string, { data?: unknown }>)
        .filter(([key]) => Number(key.split(':')[0]) === RouteParamtypes.QUERY)
        .map(([, parameter]) => parameter.data);
      this.routes.set(handler, parameters.some((data) => data === undefined) ? null : new Set(parameters.map(String)));
    }
    return this.routes.get(handler)!;
  }
}

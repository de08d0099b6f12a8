import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKey, Scope } from '@qc/database';
import { ApiKeysService } from './api-keys.service';
import { RateLimiter } from './rate-limiter';
import { grants, PUBLIC_ROUTE, REQUIRED_SCOPES } from './scopes';

export interface AuthenticatedRequest { headers: Record<string, string | string[] | undefined>; ip?: string; apiKey?: ApiKey }

/** What a route asks of a key, from its decorators (and its controller's). */
interface RouteAccess { isPublic: boolean; required: readonly Scope[] }

/**
 * Authenticates every route by bearer API key, checks its scopes and a per-key rate limit. Failed
 * authentications are limited per client address: past the limit, the address gets 429 for the
 * rest of the minute before its keys are even looked at, unless a key it sends is already trusted.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  /** Controller → handler → access: decorators do not change at run time, so they are read once per route, not per request. */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteAccess>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.accessOf(context.getClass(), context.getHandler());
    if (access.isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    const address = request.ip ?? 'unknown';
    // An address past its failed authentications is refused before any look-up, unless its key is already trusted.
    const blocked = this.limiter.blockedAddress(address);
    if (blocked && !(token && this.keys.isTrusted(token))) throw blocked;
    const key = token ? await this.keys.verify(token) : null;
    if (!key) {
      await this.limiter.hitFailedAuthentication(address);
      throw new UnauthorizedException(token ? 'the API key is unknown or revoked' : 'send an API key as "Authorization: Bearer <key>"');
    }
    await this.limiter.hit(key.id);
    if (!access.required.every((s) => grants(key.scopes, s))) {
      throw new ForbiddenException(`this route needs the scope(s) ${access.required.join(', ')}`);
    }
    request.apiKey = key;
    return true;
  }

  private accessOf(controller: object, handler: object): RouteAccess {
    let handlers = this.routes.get(controller);
    if (!handlers) this.routes.set(controller, (handlers = new WeakMap()));
    let access = handlers.get(handler);
    if (!access) {
      const targets = [handler as () => unknown, controller as () => unknown];
      access = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) ?? false,
        required: this.reflector.getAllAndOverride<Scope[]>(REQUIRED_SCOPES, targets) ?? ['admin'],
      };
      handlers.set(handler, access);
    }
    return access;
  }
}

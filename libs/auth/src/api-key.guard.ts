import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, ForbiddenException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKey, Scope } from '@qc/database';
import { ApiKeysService } from './api-keys.service';
import { RateLimiter } from './rate-limiter';
import { PUBLIC_ROUTE, REQUIRED_SCOPES } from './scopes';

export interface AuthenticatedRequest { headers: Record<string, string | string[] | undefined>; apiKey?: ApiKey }

/** Authenticates every route by bearer API key, checks its scopes and a per-key rate limit. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeysService,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
    if (!token) throw new UnauthorizedException('send an API key as "Authorization: Bearer <key>"');
    const key = await this.keys.verify(token);
    if (!key) throw new UnauthorizedException('the API key is unknown or revoked');
    await this.limiter.hit(key.id);
    const required = this.reflector.getAllAndOverride<Scope[]>(REQUIRED_SCOPES, targets) ?? ['admin'];
    const granted = new Set(key.scopes);
    if (!granted.has('admin') && !required.every((s) => granted.has(s))) {
      throw new ForbiddenException(`this route needs the scope(s) ${required.join(', ')}`);
    }
    request.apiKey = key;
    return true;
  }
}

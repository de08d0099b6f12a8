import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '@qc/config';
import { ApiKey } from '@qc/database';
import { ApiKeyGuard, AuthenticatedRequest } from './api-key.guard';
import { ApiKeysService } from './api-keys.service';
import { RateLimitedException, RateLimiter } from './rate-limiter';
import { RequireScopes } from './scopes';

@RequireScopes('registry:read')
class ReadController {
  read(): void {}
}

const GOOD = 'qc_goodgood_good';
const KEY = { id: 'k1', name: 'reader', scopes: ['registry:read'] } as unknown as ApiKey;

/** Keys that know GOOD only, counting look-ups; GOOD is trusted once looked up. */
function fakeKeys() {
  const state = { lookups: 0, trusted: false };
  const keys = {
    isTrusted: (token: string) => token === GOOD && state.trusted,
    verify: async (token: string) => {
      state.lookups++;
      if (token !== GOOD) return null;
      state.trusted = true;
      return KEY;
    },
  } as unknown as ApiKeysService;
  return { keys, state };
}

function request(token: string | null, ip: string): ExecutionContext {
  const req: AuthenticatedRequest = { headers: token ? { authorization: `Bearer ${token}` } : {}, ip };
  return {
    getClass: () => ReadController,
    getHandler: () => ReadController.prototype.read,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

describe('ApiKeyGuard', () => {
  const config = { rateLimitPerMinute: 1000, authFailuresPerMinute: 3, queuePrefix: 'qc' } as AppConfig;
  // Ten seconds into a minute, and held there: the windows are clock minutes.
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 1, 8, 0, 10), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('answers 401 to the failed authentications an address is allowed, then 429 with no look-up until the minute ends', async () => {
    const { keys, state } = fakeKeys();
    const guard = new ApiKeyGuard(new Reflector(), keys, new RateLimiter(config));
    await expect(guard.canActivate(request(null, '10.0.0.1'))).rejects.toBeInstanceOf(UnauthorizedException);
    for (let i = 0; i < 2; i++) await expect(guard.canActivate(request(`qc_bad${i}`, '10.0.0.1'))).rejects.toBeInstanceOf(UnauthorizedException);
    expect(state.lookups).toBe(2);

    for (let i = 0; i < 2000; i++) {
      await expect(guard.canActivate(request(`qc_bad${i}`, '10.0.0.1'))).rejects.toMatchObject({ retryAfterSeconds: 50 });
    }
    await expect(guard.canActivate(request(`qc_bad`, '10.0.0.1'))).rejects.toBeInstanceOf(RateLimitedException);
    expect(state.lookups).toBe(2);
    // Another address is not concerned.
    await expect(guard.canActivate(request('qc_bad', '10.0.0.2'))).rejects.toBeInstanceOf(UnauthorizedException);
  });

  it('lets a key the blocked address already used successfully go on working', async () => {
    const { keys } = fakeKeys();
    const guard = new ApiKeyGuard(new Reflector(), keys, new RateLimiter(config));
    await expect(guard.canActivate(request(GOOD, '10.0.0.3'))).resolves.toBe(true);
    for (let i = 0; i < 4; i++) await guard.canActivate(request('qc_bad', '10.0.0.3')).catch(() => undefined);
    await expect(guard.canActivate(request('qc_bad', '10.0.0.3'))).rejects.toBeInstanceOf(RateLimitedException);
    await expect(guard.canActivate(request(GOOD, '10.0.0.3'))).resolves.toBe(true);
  });
});

import { HttpException, HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import Redis from 'ioredis';

const WINDOW_MS = 60_000;

/** A process leases at most this share of a key's limit at once (at least one request). */
export const LEASE_SHARE = 0.01;

const MAX_TRACKED_SUBJECTS = 10_000;

/** 429 with the seconds until the window ends (sent as Retry-After). */
export class RateLimitedException extends HttpException {
  constructor(what: string, readonly retryAfterSeconds: number) {
    super(`${what}; retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** What is counted: a key's requests, or the failed authentications from one client address. */
interface Budget { subject: string; limit: number; refusal: string }

/** What this process holds of one key's current window. */
interface Lease {
  window: number;
  /** Requests counted in Redis for this process and not yet used. */
  remaining: number;
  /** Redis said the window is full: nothing more to lease until it ends. */
  exhausted: boolean;
  /** The INCRBY in flight, which concurrent requests of the key wait for instead of sending their own. */
  reserving: Promise<void> | null;
}

/**
 * A fixed one-minute window per key (and per client address for failed authentications), aligned to the clock so every API process counts the same
 * window. With REDIS_URL the count is shared by every API process: a process leases requests in
 * batches (INCRBY of 1% of the limit, at least 1) and spends them locally, so most requests make no
 * Redis round trip. Every admitted request was counted in Redis first, so the limit is never
 * exceeded across processes; a process may hold up to one unspent batch, so with P processes a
 * key can be refused up to P × 1% of its limit early (exact when the limit is under 200).
 * Without Redis, and whenever Redis does not answer (an outage must not take the API down with
 * it), each process counts in memory.
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly counts = new Map<string, number>();
  private readonly leases = new Map<string, Lease>();
  private readonly redis: Redis | null;

  constructor(private readonly config: AppConfig) {
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000 })
      : null;
  }

  /** Counts a request of the key; throws RateLimitedException above the limit. */
  hit(keyId: string, now = Date.now()): Promise<void> {
    const limit = this.config.rateLimitPerMinute;
    return this.count({ subject: keyId, limit, refusal: `rate limit of ${limit} requests a minute reached` }, now);
  }

  /** Counts a failed authentication from the address; throws RateLimitedException above its limit. */
  hitFailedAuthentication(address: string, now = Date.now()): Promise<void> {
    return this.count(this.failedAuthentications(address), now);
  }

  /**
   * The 429 for an address this process already knows to have used up its failed authentications
   * this window (null if not), so that a flood of bad keys can be refused before any look-up.
   */
  blockedAddress(address: string, now = Date.now()): RateLimitedException | null {
    const budget = this.failedAuthentications(address);
    const window = Math.floor(now / WINDOW_MS);
    const lease = this.leases.get(budget.subject);
    const blocked = this.redis
      ? lease?.window === window && lease.exhausted && lease.remaining === 0
      : (this.counts.get(`${budget.subject}:${window}`) ?? 0) >= budget.limit;
    return blocked ? this.refusal(budget, window, now) : null;
  }

  private failedAuthentications(address: string): Budget {
    const limit = this.config.authFailuresPerMinute;
    return { subject: `auth-failures:${address}`, limit, refusal: `more than ${limit} failed authentications a minute from this address` };
  }

  private async count(budget: Budget, now: number): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const admitted = this.redis ? await this.spendLease(budget, window) : null;
    if (admitted ?? (this.countInMemory(budget.subject, window) <= budget.limit)) return;
    throw this.refusal(budget, window, now);
  }

  private refusal(budget: Budget, window: number, now: number): RateLimitedException {
    return new RateLimitedException(budget.refusal, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  /** Whether the subject may make one more request this window, or null when Redis does not answer. */
  private async spendLease(budget: Budget, window: number): Promise<boolean | null> {
    const lease = this.leaseOf(budget.subject, window);
    for (;;) {
      if (lease.remaining > 0) {
        lease.remaining--;
        return true;
      }
      if (lease.exhausted) return false;
      lease.reserving ??= this.reserve(budget, lease).finally(() => { lease.reserving = null; });
      try {
        await lease.reserving;
      } catch {
        return null;
      }
    }
  }

  private leaseOf(subject: string, window: number): Lease {
    const current = this.leases.get(subject);
    if (current?.window === window) return current;
    // The previous window's lease is worthless now; holding only the current one keeps the map small,
    // and past many subjects (client addresses) the leases of earlier windows are let go.
    if (this.leases.size >= MAX_TRACKED_SUBJECTS) for (const [other, old] of this.leases) if (old.window !== window) this.leases.delete(other);
    const lease: Lease = { window, remaining: 0, exhausted: false, reserving: null };
    this.leases.set(subject, lease);
    return lease;
  }

  private async reserve({ subject, limit }: Budget, lease: Lease): Promise<void> {
    const redis = this.redis!;
    if (redis.status === 'wait') await redis.connect();
    const batch = Math.max(1, Math.floor(limit * LEASE_SHARE));
    const key = `${this.config.queuePrefix}:ratelimit:${subject}:${lease.window}`;
    const [[incrError, total]] = (await redis.multi().incrby(key, batch).pexpire(key, WINDOW_MS).exec()) as [[Error | null, number]];
    if (incrError) throw incrError;
    const granted = Math.max(0, Math.min(batch, limit - (total - batch)));
    lease.remaining += granted;
    // Nothing more to lease this window once Redis counts the limit: later requests learn it without asking.
    if (total >= limit) lease.exhausted = true;
  }

  private countInMemory(subject: string, window: number): number {
    const key = `${subject}:${window}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1) for (const old of this.counts.keys()) if (!old.endsWith(`:${window}`)) this.counts.delete(old);
    this.counts.set(key, count);
    return count;
  }
}

import { HttpException, HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import Redis from 'ioredis';

const WINDOW_MS = 60_000;

/** A process leases at most this share of a key's limit at once (at least one request). */
export const LEASE_SHARE = 0.01;

/** 429 with the seconds until the key's window ends (sent as Retry-After). */
export class RateLimitedException extends HttpException {
  constructor(limit: number, readonly retryAfterSeconds: number) {
    super(`rate limit of ${limit} requests a minute reached; retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

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
 * A fixed one-minute window per key, aligned to the clock so every API process counts the same
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
  async hit(keyId: string, now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const admitted = this.redis ? await this.spendLease(keyId, window) : null;
    if (admitted ?? (this.countInMemory(keyId, window) <= this.config.rateLimitPerMinute)) return;
    throw new RateLimitedException(this.config.rateLimitPerMinute, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  /** Whether the key may make one more request this window, or null when Redis does not answer. */
  private async spendLease(keyId: string, window: number): Promise<boolean | null> {
    const lease = this.leaseOf(keyId, window);
    for (;;) {
      if (lease.remaining > 0) {
        lease.remaining--;
        return true;
      }
      if (lease.exhausted) return false;
      lease.reserving ??= this.reserve(keyId, lease).finally(() => { lease.reserving = null; });
      try {
        await lease.reserving;
      } catch {
        return null;
      }
    }
  }

  private leaseOf(keyId: string, window: number): Lease {
    const current = this.leases.get(keyId);
    if (current?.window === window) return current;
    // The previous window's lease is worthless now; holding only the current one keeps the map small.
    const lease: Lease = { window, remaining: 0, exhausted: false, reserving: null };
    this.leases.set(keyId, lease);
    return lease;
  }

  private async reserve(keyId: string, lease: Lease): Promise<void> {
    const redis = this.redis!;
    if (redis.status === 'wait') await redis.connect();
    const limit = this.config.rateLimitPerMinute;
    const batch = Math.max(1, Math.floor(limit * LEASE_SHARE));
    const key = `${this.config.queuePrefix}:ratelimit:${keyId}:${lease.window}`;
    const [[incrError, total]] = (await redis.multi().incrby(key, batch).pexpire(key, WINDOW_MS).exec()) as [[Error | null, number]];
    if (incrError) throw incrError;
    const granted = Math.max(0, Math.min(batch, limit - (total - batch)));
    lease.remaining += granted;
    if (granted < batch) lease.exhausted = true;
  }

  private countInMemory(keyId: string, window: number): number {
    const key = `${keyId}:${window}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1) for (const old of this.counts.keys()) if (!old.endsWith(`:${window}`)) this.counts.delete(old);
    this.counts.set(key, count);
    return count;
  }
}

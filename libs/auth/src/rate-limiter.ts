import { HttpException, HttpStatus, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import Redis from 'ioredis';

const WINDOW_MS = 60_000;

/** 429 with the seconds until the key's window ends (sent as Retry-After). */
export class RateLimitedException extends HttpException {
  constructor(limit: number, readonly retryAfterSeconds: number) {
    super(`rate limit of ${limit} requests a minute reached; retry in ${retryAfterSeconds} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * A fixed one-minute window per key, aligned to the clock so every API process counts the same
 * window: in Redis (INCR, PEXPIRE on the first hit) when REDIS_URL is set, so the limit holds
 * across processes; in memory otherwise, and whenever Redis does not answer (an outage must not
 * take the API down with it).
 */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly counts = new Map<string, number>();
  private readonly redis: Redis | null;

  constructor(private readonly config: AppConfig) {
    this.redis = config.redisUrl
      ? new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000 })
      : null;
  }

  /** Counts a request of the key; throws RateLimitedException above the limit. */
  async hit(keyId: string, now = Date.now()): Promise<void> {
    const window = Math.floor(now / WINDOW_MS);
    const count = (await this.countInRedis(keyId, window)) ?? this.countInMemory(keyId, window);
    if (count > this.config.rateLimitPerMinute) {
      throw new RateLimitedException(this.config.rateLimitPerMinute, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redis?.disconnect();
  }

  private async countInRedis(keyId: string, window: number): Promise<number | null> {
    if (!this.redis) return null;
    try {
      if (this.redis.status === 'wait') await this.redis.connect();
      const key = `${this.config.queuePrefix}:ratelimit:${keyId}:${window}`;
      const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, WINDOW_MS).exec()) as [[Error | null, number]];
      return count;
    } catch {
      return null;
    }
  }

  private countInMemory(keyId: string, window: number): number {
    const key = `${keyId}:${window}`;
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1) for (const old of this.counts.keys()) if (!old.endsWith(`:${window}`)) this.counts.delete(old);
    this.counts.set(key, count);
    return count;
  }
}

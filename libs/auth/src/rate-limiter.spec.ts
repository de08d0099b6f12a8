import { AppConfig } from '@qc/config';
import { RateLimiter } from './rate-limiter';

/** One Redis shared by every limiter of a test, as every API process shares the real one; counts the round trips. */
const store = { counts: new Map<string, number>(), roundTrips: 0, down: false };

jest.mock('ioredis', () => jest.fn().mockImplementation(() => ({
  status: 'ready',
  disconnect: () => undefined,
  multi() {
    const commands: (() => [null, number])[] = [];
    const chain = {
      incrby(key: string, by: number) {
        commands.push(() => { store.counts.set(key, (store.counts.get(key) ?? 0) + by); return [null, store.counts.get(key)!]; });
        return chain;
      },
      pexpire() { commands.push(() => [null, 1]); return chain; },
      async exec() {
        store.roundTrips++;
        if (store.down) throw new Error('connection refused');
        return commands.map((run) => run());
      },
    };
    return chain;
  },
})));

const MINUTE = Date.UTC(2026, 0, 1, 8, 0, 0);

function limiters(count: number, rateLimitPerMinute: number): RateLimiter[] {
  const config = { redisUrl: 'redis://fake', rateLimitPerMinute, queuePrefix: 'qc' } as AppConfig;
  return Array.from({ length: count }, () => new RateLimiter(config));
}

/** How many of `attempts` requests, spread over the limiters in turn and sent concurrently in rounds, were admitted. */
async function admitted(processes: RateLimiter[], attempts: number, at = MINUTE): Promise<number> {
  let admittedCount = 0;
  for (let sent = 0; sent < attempts; sent += 50) {
    const round = Array.from({ length: Math.min(50, attempts - sent) }, (_, i) => processes[(sent + i) % processes.length].hit('key', at + 1000).then(() => 1, () => 0));
    for (const ok of await Promise.all(round)) admittedCount += ok;
  }
  return admittedCount;
}

describe('RateLimiter with Redis', () => {
  beforeEach(() => Object.assign(store, { counts: new Map(), roundTrips: 0, down: false }));

  it('leases 1% of the limit per round trip and never admits more than the limit across processes', async () => {
    const processes = limiters(3, 10_000);
    expect(await admitted(processes, 12_000)).toBeLessThanOrEqual(10_000);
    expect(store.counts.get(`qc:ratelimit:key:${Math.floor(MINUTE / 60_000)}`)).toBeGreaterThanOrEqual(10_000);
    expect(store.roundTrips).toBeLessThan(150);
  });

  it('admits at least the limit less one unspent lease of 100 per process', async () => {
    expect(await admitted(limiters(3, 10_000), 12_000)).toBeGreaterThanOrEqual(10_000 - 3 * 100);
  });

  it('counts every request in Redis when the limit is small, so it is exact', async () => {
    expect(await admitted(limiters(2, 150), 200)).toBe(150);
    // One per admitted request, and one for the process that did not take the last to learn that the window is full.
    expect(store.roundTrips).toBe(150 + 1);
  });

  it('asks Redis once for a burst of concurrent requests, and not at all once the window is full', async () => {
    const [limiter] = limiters(1, 1000);
    await Promise.all(Array.from({ length: 10 }, () => limiter.hit('key', MINUTE)));
    expect(store.roundTrips).toBe(1);
    expect(await admitted([limiter], 1000)).toBe(990);
    const trips = store.roundTrips;
    await expect(limiter.hit('key', MINUTE + 1000)).rejects.toMatchObject({ retryAfterSeconds: 59 });
    expect(store.roundTrips).toBe(trips);
    await expect(limiter.hit('key', MINUTE + 60_000)).resolves.toBeUndefined();
  });

  it('limits failed authentications per address across processes, and a process knows an address it refused without asking again', async () => {
    const config = { redisUrl: 'redis://fake', rateLimitPerMinute: 1000, authFailuresPerMinute: 4, queuePrefix: 'qc' } as AppConfig;
    const [first, second] = [new RateLimiter(config), new RateLimiter(config)];
    for (let i = 0; i < 4; i++) await (i % 2 ? second : first).hitFailedAuthentication('10.0.0.1', MINUTE);
    expect(first.blockedAddress('10.0.0.1', MINUTE)).toBeNull();
    expect(second.blockedAddress('10.0.0.1', MINUTE)).toMatchObject({ retryAfterSeconds: 60 });
    await expect(first.hitFailedAuthentication('10.0.0.1', MINUTE + 1000)).rejects.toMatchObject({ retryAfterSeconds: 59 });
    const trips = store.roundTrips;
    expect(first.blockedAddress('10.0.0.1', MINUTE + 1000)).toMatchObject({ retryAfterSeconds: 59 });
    expect(store.roundTrips).toBe(trips);
    expect(first.blockedAddress('10.0.0.2', MINUTE)).toBeNull();
    expect(first.blockedAddress('10.0.0.1', MINUTE + 60_000)).toBeNull();
  });

  it('counts in memory while Redis does not answer', async () => {
    const [limiter] = limiters(1, 3);
    store.down = true;
    for (let i = 0; i < 3; i++) await limiter.hit('key', MINUTE);
    await expect(limiter.hit('key', MINUTE)).rejects.toMatchObject({ retryAfterSeconds: 60 });
  });
});

import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { runLoad, runOpenLoad } from './api-load';

/** A loopback server answering 200 after `delayMs`, or, while `stalledUntil` is ahead, only once it has passed. */
class SlowServer {
  stalledUntil = 0;
  private readonly server: Server;

  constructor(private readonly delayMs: number) {
    this.server = createServer((_req, res) => {
      const wait = Math.max(this.delayMs, this.stalledUntil - performance.now());
      setTimeout(() => res.end('ok'), wait);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Holds every answer for `ms` from `afterMs` on. */
  stallLater(afterMs: number, ms: number): void {
    setTimeout(() => { this.stalledUntil = performance.now() + ms; }, afterMs);
  }
}

describe('runOpenLoad', () => {
  let server: SlowServer;
  let port: number;

  beforeEach(async () => {
    server = new SlowServer(10);
    port = await server.listen();
  });
  afterEach(() => server.close());

  it('holds the offered rate and measures the server latency when the server keeps up', async () => {
    const result = await runOpenLoad({ port, paths: ['/a', '/b'], connections: 10, seconds: 2, rate: 200 });
    expect(result.requests).toBe(400);
    expect(result.errors).toBe(0);
    expect(result.offeredPerSecond).toBe(200);
    // No more than offered, and no answer sooner than the server's 10 ms. How close to the rate and how
    // fast beyond that depends on the machine: that is for the bench, not for a test.
    expect(result.requestsPerSecond).toBeLessThan(201);
    expect(result.p50Ms).toBeGreaterThanOrEqual(10);
  });

  it('charges a stall to every request due during it, where a closed loop records one slow answer', async () => {
    server.stallLater(500, 600);
    const open = await runOpenLoad({ port, paths: ['/'], connections: 10, seconds: 2, rate: 100 });
    // About 60 requests fall due in the 600 ms stall, waiting from 600 ms down to 0: some 30 over 300 ms.
    expect(open.requests).toBe(200);
    expect(open.p99Ms).toBeGreaterThan(400);
    expect(open.maxMs).toBeGreaterThan(550);

    server.stallLater(500, 600);
    const closed = await runLoad({ port, paths: ['/'], connections: 1, seconds: 2 });
    // The one connection waits out the stall with a single request and sends nothing meanwhile, so it
    // asks fewer questions than were due (at most 2 s ÷ 10 ms less the stall's 60). That holds however
    // slow the machine is, where a latency relation between the two loops would not.
    expect(closed.requests).toBeLessThan(open.requests);
  });

  it('shows a server slower than the offered rate as growing latency, not as a lower rate offered', async () => {
    // 2 connections × 1 answer per 10 ms hold at most 200 requests a second; 400 are offered.
    const result = await runOpenLoad({ port, paths: ['/'], connections: 2, seconds: 1, rate: 400 });
    expect(result.requests).toBe(400);
    expect(result.requestsPerSecond).toBeLessThan(250);
    // The last requests wait behind about half a second of backlog.
    expect(result.p99Ms).toBeGreaterThan(700);
  });
});

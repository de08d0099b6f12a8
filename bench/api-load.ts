import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  /** Responses other than the expected status, and transport errors (status 0). */
  errors: number;
  /** How many answers had each unexpected status. */
  unexpected: Record<number, number>;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time of this (the load generator's) process per request, in ms: on a small machine it
   * competes with the servers, and adds about the same to both sides of a comparison.
   */
  clientCpuMsPerRequest: number;
}

export interface LoadOptions {
  port: number;
  /** Requested in turn, round robin over the connections. */
  paths: readonly string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  expectedStatus?: number;
}

/**
 * A bounded closed-loop load: `connections` keep-alive connections to 127.0.0.1 (never another
 * address), each sending its next request when the previous answer has been read, for `seconds`.
 * At saturation it measures throughput; its latencies are those of a full queue (mean latency =
 * connections ÷ throughput), for the server's own latency see runOpenLoad.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const tally = new Tally(options.expectedStatus);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const path = options.paths[next++ % options.paths.length];
      const sent = performance.now();
      tally.add(await get(agent, options.port, path, options.headers ?? {}), performance.now() - sent);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    agent.destroy();
  }
  return tally.result((performance.now() - started) / 1000, process.cpuUsage(cpuBefore));
}

export interface OpenLoadOptions extends LoadOptions {
  /** Requests per second offered, whatever the answers: request i is due at start + i ÷ rate. */
  rate: number;
}

export interface OpenLoadResult extends LoadResult {
  offeredPerSecond: number;
  maxMs: number;
  /**
   * The generator's own lateness: the longest delay between a request's due time and its sending
   * while a connection was free. Above a few ms the generator, not the server, fell behind.
   */
  maxSendLagMs: number;
}

/**
 * An open-loop load, as wrk2 measures: `rate` requests a second at fixed due times, sent over up
 * to `connections` keep-alive connections (a request due while all are busy waits for one), each
 * request's latency measured from its due time, not from when it could be sent. A server that
 * stalls is charged for every request due during the stall (no coordinated omission), and one
 * slower than the rate shows a growing queue instead of a lower rate. Waits for every request.
 */
export async function runOpenLoad(options: OpenLoadOptions): Promise<OpenLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const tally = new Tally(options.expectedStatus);
  const due = Math.max(1, Math.round(options.rate * options.seconds));
  const intervalMs = 1000 / options.rate;
  const answers: Promise<void>[] = [];
  let inFlight = 0;
  let maxSendLagMs = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const send = (i: number) => {
    const dueAt = started + i * intervalMs;
    if (inFlight < options.connections) maxSendLagMs = Math.max(maxSendLagMs, performance.now() - dueAt);
    inFlight++;
    answers.push(get(agent, options.port, options.paths[i % options.paths.length], options.headers ?? {}).then((status) => {
      inFlight--;
      tally.add(status, performance.now() - dueAt);
    }));
  };
  try {
    await new Promise<void>((resolve) => {
      let sent = 0;
      const sendDue = () => {
        while (sent < due && started + sent * intervalMs <= performance.now()) send(sent++);
        if (sent === due) resolve();
        else setTimeout(sendDue, Math.max(0, started + sent * intervalMs - performance.now()));
      };
      sendDue();
    });
    await Promise.all(answers);
  } finally {
    agent.destroy();
  }
  const result = tally.result((performance.now() - started) / 1000, process.cpuUsage(cpuBefore));
  return { ...result, offeredPerSecond: options.rate, maxMs: tally.max(), maxSendLagMs };
}

/** Statuses and latencies of the answers of one load. */
class Tally {
  private readonly latencies: number[] = [];
  private errors = 0;
  private readonly unexpected: Record<number, number> = {};

  constructor(private readonly expectedStatus = 200) {}

  add(status: number, latencyMs: number): void {
    this.latencies.push(latencyMs);
    if (status === this.expectedStatus) return;
    this.errors++;
    this.unexpected[status] = (this.unexpected[status] ?? 0) + 1;
  }

  max(): number {
    return this.latencies.reduce((a, b) => Math.max(a, b), 0);
  }

  result(elapsedSeconds: number, cpu: NodeJS.CpuUsage): LoadResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      requests: sorted.length, errors: this.errors, unexpected: this.unexpected, requestsPerSecond: sorted.length / elapsedSeconds,
      p50Ms: at(0.5), p99Ms: at(0.99), clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, sorted.length),
    };
  }
}

function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

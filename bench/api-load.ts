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
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  const unexpected: Record<number, number> = {};
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const path = options.paths[next++ % options.paths.length];
      const sent = performance.now();
      const status = await get(agent, options.port, path, options.headers ?? {});
      latencies.push(performance.now() - sent);
      if (status !== (options.expectedStatus ?? 200)) {
        errors++;
        unexpected[status] = (unexpected[status] ?? 0) + 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, worker));
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, unexpected, requestsPerSecond: latencies.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99),
    clientCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length) };
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

import { readFileSync } from 'node:fs';

/** A `Field:   123 kB` line of /proc/<pid>/status, in kB; null when absent (a zombie has none). */
export function parseStatusKb(status: string, field: 'VmHWM' | 'VmRSS'): number | null {
  const match = new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) : null;
}

/** The highest resident memory a live process has had so far (VmHWM, else VmRSS), in MB; null once it is gone. */
export function readProcessPeakMb(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = parseStatusKb(status, 'VmHWM') ?? parseStatusKb(status, 'VmRSS');
  return kb === null ? null : kb / 1024;
}

/** Polls a memory reading and keeps the highest; a peak between two polls can be missed. */
export class PeakSampler {
  private peak: number | null = null;
  private timer?: NodeJS.Timeout;

  constructor(private readonly read: () => number | null, private readonly intervalMs = 100) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  /** Stops polling (after one last reading) and returns the highest reading, or null if none. */
  stop(): number | null {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }

  private sample(): void {
    const value = this.read();
    if (value !== null && (this.peak === null || value > this.peak)) this.peak = value;
  }
}

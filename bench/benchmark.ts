import { Machine } from './support/machine';
import { BenchOptions } from './support/options';
import { Figure } from './support/results-file';

export interface BenchContext {
  options: BenchOptions;
  /** PostgreSQL server (any database on it) where bench databases are created and dropped. */
  adminUrl: string;
  redisUrl: string;
  fixturesRoot: string;
  machine: Machine;
  date: string;
}

/** Benchmarks that share fixtures and baselines, so any subset of them is measured in one run. */
export interface BenchmarkGroup {
  names: readonly string[];
  run(selected: readonly string[], context: BenchContext): Promise<Figure[]>;
}

/** Processes that import (the CLI consuming its own jobs stands in for the worker) must stay below this. */
export const WORKER_RSS_LIMIT_MB = 400;

export function figure(context: BenchContext, fields: Omit<Figure, 'date' | 'machine'>): Figure {
  return {
    ...fields,
    value: round(fields.value, 3),
    baseline: { ...fields.baseline, value: round(fields.baseline.value, 3) },
    ratio: round(fields.ratio, 4),
    peakRssMb: round(fields.peakRssMb, 1),
    date: context.date,
    machine: context.machine,
  };
}

/** a ÷ b, or null when either is missing. */
export function ratioOf(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

export function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function round(n: number | null, digits: number): number | null {
  return n === null ? null : Number(n.toFixed(digits));
}

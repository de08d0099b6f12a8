import { cpus, totalmem } from 'node:os';

export interface Machine {
  cpus: number;
  model: string;
  memGb: number;
  node: string;
  pgVersion: string;
}

/** What a figure was measured on, so figures from different machines are not compared blindly. */
export function describeMachine(pgVersion: string): Machine {
  const cores = cpus();
  return {
    cpus: cores.length,
    model: cores[0]?.model.trim() ?? 'unknown',
    memGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    pgVersion,
  };
}

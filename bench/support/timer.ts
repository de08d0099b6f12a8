export interface Timed<T> {
  seconds: number;
  value: T;
}

/** Runs fn once and measures it on the monotonic clock (wall time, not CPU time). */
export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

/**
 * Runs each task `rounds` times and keeps its fastest round. The order rotates every round so
 * that no task always runs first (cold caches) or last (a machine warmed or loaded by the others).
 */
export async function bestOfAlternating<T>(rounds: number, tasks: readonly (() => Promise<T>)[]): Promise<Timed<T>[]> {
  const best: (Timed<T> | undefined)[] = tasks.map(() => undefined);
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < tasks.length; step++) {
      const index = (round + step) % tasks.length;
      const result = await timed(tasks[index]);
      if (!best[index] || result.seconds < best[index]!.seconds) best[index] = result;
    }
  }
  return best.map((result) => {
    if (!result) throw new Error('bestOfAlternating needs at least one round');
    return result;
  });
}

/**
 * Keeps one write in flight while the caller prepares the next: the stage parses chunk n + 1 in
 * Node while PostgreSQL stores chunk n, instead of each waiting for the other. Writes run in the
 * order given, one at a time; the first failure is thrown by the next `write` or by `drain`.
 */
export class WriteBehind {
  private inFlight: Promise<void> = Promise.resolve();

  async write(task: () => Promise<void>): Promise<void> {
    await this.inFlight;
    const started = task();
    // Handled here so a failure is not reported as unhandled while the caller is still parsing;
    // it is thrown to the caller by the next write or drain, which await `inFlight` itself.
    started.catch(() => undefined);
    this.inFlight = started;
  }

  /** Waits for the write in flight; throws its failure. */
  drain(): Promise<void> {
    return this.inFlight;
  }

  /** Waits for the write in flight, ignoring its failure: before cleaning up after another error. */
  async settle(): Promise<void> {
    await this.inFlight.catch(() => undefined);
  }
}

import { Injectable } from '@nestjs/common';

/** What a command prints: results on stdout, progress on stderr (so `--json` output stays clean). */
@Injectable()
export class Output {
  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A progress bar redrawn in place on a terminal; silent when stderr is not one. */
  progress(label: string, done: number, total: number | null): void {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = total ? Math.min(width, Math.round((done / Math.max(total, 1)) * width)) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}` : `${done} rows`;
    process.stderr.write(`\r${label} ${bar}\u001b[K`);
  }

  endProgress(): void {
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  }
}

export class UsageError extends Error {}

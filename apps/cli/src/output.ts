import { Injectable } from '@nestjs/common';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** What a person reads for a batch's status while it runs. */
const PHASES: Record<string, string> = { queued: 'queued', staging: 'reading', merging: 'merging' };

const BAR_WIDTH = 30;

/** "1:05" or "12s": how long is left, as a person reads it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * One line of an import's progress: the phase, a bar of rows done of rows total and the time left
 * at the pace so far in this phase. Without a total (a file's rows are counted as it is read) the
 * rows done only.
 */
export function progressLine(label: string, status: string, done: number, total: number | null, phaseElapsedMs: number): string {
  const phase = PHASES[status] ?? status;
  if (!total) return `${label} ${phase} ${done} rows`;
  const share = Math.min(1, done / total);
  const filled = Math.round(share * BAR_WIDTH);
  const eta = done > 0 && done < total ? `, about ${formatDuration((phaseElapsedMs / done) * (total - done))} left` : '';
  return `${label} ${phase} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} ${Math.floor(share * 100)}%${eta}`;
}

/** What a command prints: results on stdout, progress on stderr (so `--json` output stays clean). */
@Injectable()
export class Output {
  private phase: { status: string; startedAt: number } | null = null;

  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A progress line redrawn in place on a terminal, through every phase of a batch; silent when stderr is not one. */
  progress(label: string, status: string, done: number, total: number | null): void {
    if (!process.stderr.isTTY) return;
    if (this.phase?.status !== status) this.phase = { status, startedAt: Date.now() };
    process.stderr.write(`\r${progressLine(label, status, done, total, Date.now() - this.phase.startedAt)}\u001b[K`);
  }

  endProgress(): void {
    this.phase = null;
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
  }
}

export class UsageError extends Error {}

/**
 * The file a command is to write, checked before any work: its folder must exist and be writable
 * (a missing folder is one line saying so, not a stack from the write stream).
 */
export async function writableOutput(file: string): Promise<string> {
  const folder = dirname(resolve(file));
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new UsageError(`cannot write ${file}: the folder ${folder} does not exist; create it or choose another --out`);
  const writable = await access(folder, constants.W_OK).then(() => true, () => false);
  if (!writable) throw new UsageError(`cannot write ${file}: the folder ${folder} is not writable by this user; choose another --out`);
  return file;
}

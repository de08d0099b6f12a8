import { Injectable } from '@nestjs/common';
// A type only: the CLI loads the import engine only in the commands that import.
import type { BatchProgress } from '@qc/ingestion';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const BAR_WIDTH = 30;

/** "1:05" or "12s": how long is left, as a person reads it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** An amount of the phase's unit as a person reads it: rows as they are, bytes in MB. */
function amount(value: number, unit: BatchProgress['unit']): string {
  return unit === 'bytes' ? (value / 1_000_000).toFixed(1) : String(value);
}

/**
 * One line of an import's progress (as `GET /v1/imports/{id}` gives it): the phase, a bar of done
 * of total (MB of the file while reading, then rows) and the time left in the phase.
 */
export function progressLine(label: string, p: Pick<BatchProgress, 'phase' | 'done' | 'total' | 'unit' | 'etaSeconds'>): string {
  const unit = p.unit === 'bytes' ? ' MB' : ' rows';
  if (!p.total) return `${label} ${p.phase} ${amount(p.done, p.unit)}${unit}`;
  const share = Math.min(1, p.done / p.total);
  const filled = Math.round(share * BAR_WIDTH);
  const eta = p.etaSeconds !== null ? `, about ${formatDuration(p.etaSeconds * 1000)} left` : '';
  return `${label} ${p.phase} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${amount(p.done, p.unit)}/${amount(p.total, p.unit)}${unit} ${Math.floor(share * 100)}%${eta}`;
}

/** What a command prints: results on stdout, progress on stderr (so `--json` output stays clean). */
@Injectable()
export class Output {

  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }

  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** A progress line redrawn in place on a terminal, through every phase of a batch; silent when stderr is not one. */
  progress(label: string, progress: BatchProgress): void {
    if (!process.stderr.isTTY) return;
    process.stderr.write(`\r${progressLine(label, progress)}\u001b[K`);
  }

  endProgress(): void {
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

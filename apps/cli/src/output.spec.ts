import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDuration, progressLine, UsageError, writableOutput } from './output';

describe('import progress line', () => {
  const at = (phase: string, done: number, total: number | null, unit: 'rows' | 'bytes', etaSeconds: number | null) =>
    ({ phase: phase as 'matching', done, total, unit, etaSeconds });

  it('names the phase and shows rows done of total with the time left', () => {
    expect(progressLine('a.csv', at('matching', 1000, 4000, 'rows', 6))).toBe(`a.csv matching [########${'.'.repeat(22)}] 1000/4000 rows 25%, about 6s left`);
  });

  it('shows the file read in MB of its size while reading', () => {
    expect(progressLine('a.csv', at('reading', 1_500_000, 6_000_000, 'bytes', 75))).toBe(`a.csv reading [########${'.'.repeat(22)}] 1.5/6.0 MB 25%, about 1:15 left`);
    expect(progressLine('a.csv', at('queued', 0, 6_000_000, 'bytes', null))).toBe(`a.csv queued [${'.'.repeat(30)}] 0.0/6.0 MB 0%`);
  });

  it('gives no time left when the phase does not know it', () => {
    expect(progressLine('a', at('merging', 10, 10, 'rows', null))).toMatch(/merging \[#+\] 10\/10 rows 100%$/);
    expect(progressLine('a', at('done', 4, 4, 'rows', null))).toMatch(/done \[#+\] 4\/4 rows 100%$/);
  });

  it('writes durations as seconds, then minutes:seconds', () => {
    expect(formatDuration(4_400)).toBe('4s');
    expect(formatDuration(65_000)).toBe('1:05');
  });
});

describe('writableOutput', () => {
  it('accepts a file in an existing folder', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-out-')), 'r.json');
    await expect(writableOutput(file)).resolves.toBe(file);
  });

  it('refuses a file whose folder does not exist, naming the folder', async () => {
    const missing = join(tmpdir(), 'qc-no-such-folder-x9', 'r.json');
    await expect(writableOutput(missing)).rejects.toThrow(UsageError);
    await expect(writableOutput(missing)).rejects.toThrow(/qc-no-such-folder-x9 does not exist/);
  });
});

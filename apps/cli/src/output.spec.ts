import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDuration, progressLine, UsageError, writableOutput } from './output';

describe('import progress line', () => {
  it('names the phase and shows rows done of total with the time left at the pace so far', () => {
    expect(progressLine('a.csv', 'merging', 1000, 4000, 2000)).toBe(`a.csv merging [########${'.'.repeat(22)}] 1000/4000 25%, about 6s left`);
  });

  it('shows the rows read while the total is not known yet (the stage counts them as it reads)', () => {
    expect(progressLine('a.csv', 'staging', 2000, null, 500)).toBe('a.csv reading 2000 rows');
    expect(progressLine('a.csv', 'queued', 0, null, 0)).toBe('a.csv queued 0 rows');
  });

  it('gives no time left before the first rows and once all are done', () => {
    expect(progressLine('a', 'merging', 0, 10, 100)).not.toContain('left');
    expect(progressLine('a', 'merging', 10, 10, 100)).toMatch(/10\/10 100%$/);
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

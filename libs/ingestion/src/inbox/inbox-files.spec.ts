import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasChanged, hasSettled, isImportCandidate, moveWithoutOverwrite, numberedName, SETTLE_MS, settledFiles } from './inbox-files';

const folder = () => mkdtempSync(join(tmpdir(), 'qc-inbox-'));

/** Writes a file whose last change was ageMs ago. */
function writeAged(path: string, content: string, ageMs: number): void {
  writeFileSync(path, content);
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
}

describe('inbox files', () => {
  it('ignores hidden files, Office lock files and partial downloads', () => {
    for (const name of ['社区基本情况统计表.csv', '党员名册 (2).xlsx', 'export.json']) expect(isImportCandidate(name)).toBe(true);
    for (const name of ['.DS_Store', '.社区.csv.swp', '~$党员名册.xlsx', 'big.csv.part', 'big.xlsx.crdownload', 'x.TMP', 'y.partial']) {
      expect(isImportCandidate(name)).toBe(false);
    }
  });

  it('takes a file as settled once it has not changed for a few seconds', () => {
    const now = Date.now();
    expect(hasSettled({ mtimeMs: now - SETTLE_MS }, now)).toBe(true);
    expect(hasSettled({ mtimeMs: now - SETTLE_MS + 1 }, now)).toBe(false);
    expect(hasChanged({ size: 10, mtimeMs: 1 }, { size: 10, mtimeMs: 1 })).toBe(false);
    expect(hasChanged({ size: 10, mtimeMs: 1 }, { size: 11, mtimeMs: 1 })).toBe(true);
    expect(hasChanged({ size: 10, mtimeMs: 1 }, { size: 10, mtimeMs: 2 })).toBe(true);
  });

  it('lists the settled candidates of a folder, oldest first, not looking into sub-folders', async () => {
    const inbox = folder();
    writeAged(join(inbox, 'newer.csv'), 'b', 60_000);
    writeAged(join(inbox, 'older.csv'), 'a', 120_000);
    writeAged(join(inbox, '~$older.xlsx'), 'lock', 120_000);
    writeAged(join(inbox, 'copying.csv'), 'still growing', 100);
    mkdirSync(join(inbox, 'archive'));
    writeAged(join(inbox, 'archive', 'done.csv'), 'x', 120_000);
    const files = await settledFiles(inbox, Date.now());
    expect(files.map((f) => f.name)).toEqual(['older.csv', 'newer.csv']);
    expect(files[0]).toMatchObject({ path: join(inbox, 'older.csv'), size: 1 });
  });

  it('numbers a taken name before its extension', () => {
    expect(numberedName('社区.csv', 1)).toBe('社区.csv');
    expect(numberedName('社区.csv', 2)).toBe('社区-2.csv');
    expect(numberedName('README', 3)).toBe('README-3');
  });

  it('moves a file into a folder it makes, never overwriting what is there', async () => {
    const inbox = folder();
    const archive = join(folder(), 'archive', '2024-01-05');
    writeFileSync(join(inbox, '社区.csv'), 'first');
    expect(await moveWithoutOverwrite(join(inbox, '社区.csv'), archive, '社区.csv')).toBe(join(archive, '社区.csv'));
    writeFileSync(join(inbox, '社区.csv'), 'second');
    expect(await moveWithoutOverwrite(join(inbox, '社区.csv'), archive, '社区.csv')).toBe(join(archive, '社区-2.csv'));
    writeFileSync(join(inbox, '社区.csv'), 'third');
    expect(await moveWithoutOverwrite(join(inbox, '社区.csv'), archive, '社区.csv')).toBe(join(archive, '社区-3.csv'));
    expect(existsSync(join(inbox, '社区.csv'))).toBe(false);
    expect(['社区.csv', '社区-2.csv', '社区-3.csv'].map((n) => readFileSync(join(archive, n), 'utf8'))).toEqual(['first', 'second', 'third']);
  });
});

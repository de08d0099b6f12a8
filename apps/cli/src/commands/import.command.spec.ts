import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesToImport } from './import.command';

describe('filesToImport', () => {
  it('takes a folder as the files directly in it, sorted by name; subfolders and hidden files are skipped', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'qc-import-folder-'));
    for (const name of ['b.xlsx', 'a.csv', '.DS_Store']) writeFileSync(join(folder, name), 'x');
    mkdirSync(join(folder, 'truth'));
    writeFileSync(join(folder, 'truth', 'c.csv'), 'x');
    expect(await filesToImport([folder])).toEqual([join(folder, 'a.csv'), join(folder, 'b.xlsx')]);
  });

  it('passes files and missing paths through in the order given (a missing one is reported by the import)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'qc-import-files-'));
    writeFileSync(join(folder, 'z.csv'), 'x');
    expect(await filesToImport([join(folder, 'z.csv'), join(folder, 'gone.csv')])).toEqual([join(folder, 'z.csv'), join(folder, 'gone.csv')]);
  });
});

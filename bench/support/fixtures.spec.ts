import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedFixture } from './fixtures';

/** Stands in for generateCity: writes the files and a manifest naming them. */
function fakeGenerator(calls: string[]) {
  return async (out: string) => {
    calls.push(out);
    mkdirSync(join(out, 'truth'), { recursive: true });
    const files = [
      { file: 'small.xlsx', rows: 10, bytes: 100, kind: 'S3' },
      { file: 'big.xlsx', rows: 5000, bytes: 9000, kind: 'S3' },
      { file: 'other.csv', rows: 9999, bytes: 1, kind: 'S6' },
    ];
    for (const f of files) writeFileSync(join(out, f.file), '');
    writeFileSync(join(out, 'truth', 'manifest.json'), JSON.stringify({ files }));
  };
}

describe('cachedFixture', () => {
  it('generates once per size and seed, then reuses the largest file of the kind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qc-bench-fixtures-'));
    const calls: string[] = [];
    const key = { kind: 'S3' as const, size: 5000, seed: '7' };
    const first = await cachedFixture(root, key, fakeGenerator(calls));
    const again = await cachedFixture(root, key, fakeGenerator(calls));
    expect(first).toEqual({ file: join(root, 's3-5000-seed7', 'big.xlsx'), rows: 5000, bytes: 9000 });
    expect(again).toEqual(first);
    expect(calls).toHaveLength(1);
    await cachedFixture(root, { ...key, seed: '8' }, fakeGenerator(calls));
    expect(calls).toHaveLength(2);
    expect(readdirSync(root).sort()).toEqual(['s3-5000-seed7', 's3-5000-seed8']);
  });

  it('leaves nothing behind when generation fails, so the next run starts over', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qc-bench-fixtures-'));
    const failing = async (out: string) => {
      mkdirSync(out);
      writeFileSync(join(out, 'half.csv'), '序号,姓名');
      throw new Error('disk full');
    };
    await expect(cachedFixture(root, { kind: 'S1', size: 1, seed: '1' }, failing)).rejects.toThrow('disk full');
    expect(readdirSync(root)).toEqual([]);
  });

  it('says so when the cache holds no file of the kind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'qc-bench-fixtures-'));
    await expect(cachedFixture(root, { kind: 'S1', size: 1, seed: '1' }, fakeGenerator([]))).rejects.toThrow(/holds no S1 file; delete it/);
  });
});

import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestFile } from '../../etl/generate';

export interface Fixture {
  file: string;
  /** Data rows (records) in the file, from the generator's manifest. */
  rows: number;
  bytes: number;
}

export interface FixtureKey {
  /** Source kind the fixture is a file of: its largest file of that kind is the fixture. */
  kind: ManifestFile['kind'];
  size: number;
  seed: string;
}

/**
 * A generated file cached under `root/<kind>-<size>-seed<seed>/`, so reruns skip generation. The
 * city is generated beside the cache and renamed into place, so a half-written city is never used.
 */
export async function cachedFixture(root: string, key: FixtureKey, generate: (out: string) => Promise<unknown>): Promise<Fixture> {
  const dir = join(root, `${key.kind.toLowerCase()}-${key.size}-seed${key.seed}`);
  const manifestPath = join(dir, 'truth', 'manifest.json');
  if (!existsSync(manifestPath)) {
    const partial = `${dir}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    try {
      await generate(partial);
    } catch (err) {
      rmSync(partial, { recursive: true, force: true });
      throw err;
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  }
  const { files } = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: ManifestFile[] };
  const largest = files.filter((f) => f.kind === key.kind).sort((a, b) => b.rows - a.rows)[0];
  if (!largest) throw new Error(`${dir} holds no ${key.kind} file; delete it to generate it again`);
  return { file: join(dir, largest.file), rows: largest.rows, bytes: largest.bytes };
}

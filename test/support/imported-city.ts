import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity } from '../../etl/generate';
import { ImportsService } from '../../libs/ingestion/src';
import { startRegistry } from './registry-app';

/** Files in the order IT staff are told to import them: official codes first. */
const KIND_ORDER = ['S6', 'S1', 'S3', 'S4', 'S2', 'S5'];

/**
 * Generates a synthetic city into `dir` and imports every file of it into the current
 * DATABASE_URL (in-process jobs), as test/all-sources.e2e-spec.ts does.
 */
export async function importGeneratedCity(dir: string, options: { seed: string; members: number }): Promise<void> {
  await generateCity({ out: dir, seed: options.seed, members: options.members });
  const manifest: { files: { file: string; kind: string }[] } = JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
  const registry = await startRegistry('in-process');
  try {
    const imports = registry.get(ImportsService);
    const files = [...manifest.files].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
    for (const f of files) {
      const summary = await imports.waitFor((await imports.submit(join(dir, f.file), 'test')).id, undefined, 50);
      if (summary.status !== 'completed') throw new Error(`${f.file} did not import: ${summary.status}`);
    }
  } finally {
    await registry.close();
  }
}

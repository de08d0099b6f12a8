import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity } from '../../etl/generate';
import { ImportsService, ImportSummary } from '../../libs/ingestion/src';
import { startRegistry } from './registry-app';

/** Files in the order IT staff are told to import them: official codes first. */
const KIND_ORDER = ['S6', 'S1', 'S3', 'S4', 'S2', 'S5'];

/** A generated city's files, as its truth/manifest.json lists them. */
export interface CityManifest { files: { file: string; kind: string; rows?: number }[] }

export function readManifest(dir: string): CityManifest {
  return JSON.parse(readFileSync(join(dir, 'truth/manifest.json'), 'utf8'));
}

/** Imports every file of a generated city in the order IT staff are told to, and returns each file's summary. */
export async function importCityFiles(imports: ImportsService, dir: string): Promise<Map<string, ImportSummary>> {
  const summaries = new Map<string, ImportSummary>();
  const files = [...readManifest(dir).files].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));
  for (const f of files) summaries.set(f.file, await imports.waitFor((await imports.submit(join(dir, f.file), 'test')).id, undefined, 50));
  return summaries;
}

/**
 * Generates a synthetic city into `dir` and imports every file of it into the current
 * DATABASE_URL (in-process jobs), as test/all-sources.e2e-spec.ts does.
 */
export async function importGeneratedCity(dir: string, options: { seed: string; members: number }): Promise<void> {
  await generateCity({ out: dir, seed: options.seed, members: options.members });
  const registry = await startRegistry('in-process');
  try {
    for (const [file, summary] of await importCityFiles(registry.get(ImportsService), dir)) {
      if (summary.status !== 'completed') throw new Error(`${file} did not import: ${summary.status}`);
    }
  } finally {
    await registry.close();
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generateCity } from '../../../etl/generate';

/** The demo imports a small synthetic city made by the project's own generator (made once, then reused). */
export async function generateDemoCity(folder: string): Promise<void> {
  if (existsSync(join(folder, 'truth', 'manifest.json'))) return;
  await generateCity({ out: folder, seed: 'demo' });
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '@qc/config';

/** The compiled CLI, as `npm run build` lays it out and a deployed worker runs it. */
export const COMPILED_CLI = join(PROJECT_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
/** The compiled worker, as a deployment starts it. */
export const COMPILED_WORKER = join(PROJECT_ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

let built = false;

/** Builds dist/ once per bench run, so the figures are those of the code as it stands. */
export function ensureCompiled(): void {
  if (built) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/**
 * The node flags a worker is deployed with (package.json `start:worker`): importing processes are
 * measured under the same heap cap production gives them.
 */
export function workerNodeFlags(packageJson = join(PROJECT_ROOT, 'package.json')): string[] {
  const scripts = (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts: Record<string, string> }).scripts;
  return (scripts['start:worker'] ?? '').split(/\s+/).filter((word) => word.startsWith('--'));
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerNodeFlags } from './compiled-cli';

describe('workerNodeFlags', () => {
  const packageJson = (scripts: Record<string, string>) => {
    const file = join(mkdtempSync(join(tmpdir(), 'qc-bench-pkg-')), 'package.json');
    writeFileSync(file, JSON.stringify({ scripts }));
    return file;
  };

  it('takes the node flags of the deployed worker, not its script', () => {
    expect(workerNodeFlags(packageJson({ 'start:worker': 'node --max-old-space-size=256 dist/apps/worker/src/main.js' }))).toEqual(['--max-old-space-size=256']);
  });

  it('is empty when the worker runs without flags', () => {
    expect(workerNodeFlags(packageJson({}))).toEqual([]);
  });
});

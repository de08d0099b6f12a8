import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMeasuredNode } from './measured-child';

describe('runMeasuredNode', () => {
  it('times a child, keeps its output and exit code, and catches a peak too short to poll', async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'qc-bench-child-')), 'spike.js');
    // 300 MB touched and released within a few milliseconds, then exit at once.
    writeFileSync(script, "Buffer.alloc(300 * 1024 * 1024, 1); process.stdout.write(JSON.stringify({ arg: process.argv[2] })); process.exit(3);");
    const run = await runMeasuredNode(script, ['hello'], process.env);
    expect(run.exitCode).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({ arg: 'hello' });
    expect(run.peakRssMb).toBeGreaterThan(300);
    expect(run.seconds).toBeGreaterThan(0);
  }, 30_000);
});

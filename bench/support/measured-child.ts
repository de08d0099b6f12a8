import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '@qc/config';
import { PeakSampler, readProcessPeakMb } from './rss-sampler';
import { timed } from './timer';

export interface ChildRun {
  seconds: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak RSS of the child in MB: its own VmHWM at exit, or the highest polled value if it could not report. */
  peakRssMb: number | null;
}

type ChildOutcome = Omit<ChildRun, 'seconds' | 'peakRssMb'> & { polledPeakMb: number | null };

const PEAK_RSS_REPORTER = ['-r', join(__dirname, 'report-peak-rss.js')];
/** How the project runs its TypeScript entry points (package.json `cli`). */
const TYPESCRIPT_PRELOADS = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

/**
 * Runs an entry point of the project in a child node process, timing it and tracking its memory:
 * a `.ts` file through ts-node, a compiled `.js` file as deployed, with the given node flags.
 */
export async function runMeasuredNode(script: string, args: readonly string[], env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): Promise<ChildRun> {
  const reportDir = mkdtempSync(join(tmpdir(), 'qc-bench-rss-'));
  const reportFile = join(reportDir, 'maxrss-kb');
  try {
    const { seconds, value: outcome } = await timed(() => runChild([...nodeFlags, ...(script.endsWith('.ts') ? TYPESCRIPT_PRELOADS : []), ...PEAK_RSS_REPORTER, script, ...args], { ...env, BENCH_PEAK_RSS_FILE: reportFile }));
    const { polledPeakMb, ...run } = outcome;
    const reportedKb = readReport(reportFile);
    const peakRssMb = reportedKb !== null ? Math.max(reportedKb / 1024, polledPeakMb ?? 0) : polledPeakMb;
    return { ...run, seconds, peakRssMb };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

function runChild(nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = new PeakSampler(() => (child.pid ? readProcessPeakMb(child.pid) : null)).start();
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (err) => {
      sampler.stop();
      reject(err);
    });
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr, polledPeakMb: sampler.stop() }));
  });
}

function readReport(file: string): number | null {
  try {
    const kb = Number(readFileSync(file, 'utf8'));
    return Number.isFinite(kb) && kb > 0 ? kb : null;
  } catch {
    return null;
  }
}

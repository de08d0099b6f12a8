import { BatchStatus } from '@qc/database';
import { accountingAddsUp, ImportSummary } from '@qc/ingestion';
import { COMPILED_CLI, ensureCompiled, workerNodeFlags } from './compiled-cli';
import { ChildRun, runMeasuredNode } from './measured-child';

export interface ImportRun {
  seconds: number;
  peakRssMb: number | null;
  /** The accounting the CLI printed, when it printed one. */
  summary: ImportSummary | null;
  /** Why this run is no figure (refused, failed, crashed, wrong outcome); null when it is one. */
  error: string | null;
}

/**
 * `qingcheng import FILE --json` from the compiled CLI, with a worker's node flags, in a child
 * process against the given environment (a bench database and queue prefix); the CLI consumes its
 * own jobs when no worker is online.
 */
export async function importWithCli(file: string, env: NodeJS.ProcessEnv, expected: BatchStatus): Promise<ImportRun> {
  ensureCompiled();
  const run = await runMeasuredNode(COMPILED_CLI, ['import', file, '--json'], env, workerNodeFlags());
  return { seconds: run.seconds, peakRssMb: run.peakRssMb, ...judgeImport(run, expected) };
}

/** Reads the CLI's JSON accounting and decides whether the run measured what it was meant to. */
export function judgeImport(run: Pick<ChildRun, 'exitCode' | 'signal' | 'stdout' | 'stderr'>, expected: BatchStatus): Pick<ImportRun, 'summary' | 'error'> {
  let summary: ImportSummary | null = null;
  try {
    summary = JSON.parse(run.stdout) as ImportSummary;
  } catch {
    const ended = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
    return { summary: null, error: `the import printed no accounting (${ended}): ${lastLines(run.stderr || run.stdout)}` };
  }
  if (summary.status !== expected) {
    return { summary, error: `${summary.status}${summary.error ? `: ${summary.error}` : ''} (expected ${expected})` };
  }
  if (!accountingAddsUp(summary)) {
    return { summary, error: `the accounting does not add up: rows ${summary.rows} ≠ accepted ${summary.accepted} + rejected ${summary.rejected} + skipped ${summary.skipped}` };
  }
  if (summary.rows === 0) return { summary, error: 'the import read no rows' };
  return { summary, error: null };
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ') || '(no output)';
}

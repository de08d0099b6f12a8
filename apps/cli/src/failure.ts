import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Failures a person can act on (bad input, configuration, an unreachable service): one line, exit code 2. */
const EXPECTED = new Set(['UsageError', 'ConfigError', 'ApiKeyError', 'ImportRequestError', 'SchemaBehindError', 'ReportRequestError']);

export interface Failure { text: string | null; exitCode: number }

function isCommanderError(err: Error): err is Error & { code: string; exitCode: number } {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('commander.');
}

/**
 * What the CLI prints for an error, and its exit code. Help and version end with 0; commander has
 * already printed its own usage errors; anything unexpected is a bug and keeps its stack (exit 1).
 */
export function describeFailure(err: Error): Failure {
  if (isCommanderError(err)) return { text: null, exitCode: err.exitCode === 0 ? 0 : 2 };
  if (!EXPECTED.has(err.constructor.name)) return { text: `qingcheng: ${err.stack ?? err.message}`, exitCode: 1 };
  // Configuration errors list one setting per line: joined, so the whole failure stays one line.
  const [first, ...rest] = err.message.split('\n').map((line) => line.trim()).filter(Boolean);
  return { text: `qingcheng: ${[first, rest.join('; ')].filter(Boolean).join(' ')}`, exitCode: 2 };
}

/** The version in the project's package.json, from the sources or the compiled tree. */
export function packageVersion(from = __dirname): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

import { Command, CommandRunner, Option } from 'nest-commander';
import type { ImportSummary } from '@qc/ingestion';
import { formatPersonTime } from '@qc/time';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Output, UsageError } from '../output';
import { Runtime } from '../runtime';
import { ImportsRollbackCommand } from './rollback.command';

/** How many warnings an import prints (and `--json` lists) per file; the quality report counts them all. */
const FIRST_WARNINGS = 20;
interface WarningLine { sheet: string | null; recordRef: string; column: string | null; reason: string }
/** A file refused before a batch was recorded for it (missing, unreadable, not a spreadsheet). */
interface RefusedFile { file: string; status: 'refused'; batchId: null; error: string }

/** The files the arguments name: a folder stands for the files directly in it, by name; anything else in it is skipped. */
export async function filesToImport(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info?.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = await readdir(path, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read the folder ${path} (${err.code ?? err.message}): give this user read access to it`);
    });
    const names = entries.filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

/** Imports files through the same queue and jobs the worker runs. */
@Command({ name: 'import', arguments: '<files...>', description: 'import legacy export files (or every file in a folder) and print the accounting' })
export class ImportCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(paths: string[], options: { json?: boolean }): Promise<void> {
    const files = await filesToImport(paths);
    if (files.length === 0) throw new UsageError(`no files to import in ${paths.join(', ')}`);
    const [{ ImportsService, ImportRequestError, progressOf }, { describeSummary, describePlace }] = await Promise.all([import('@qc/ingestion'), import('../import-summary')]);
    const [imports, queue] = await Promise.all([this.runtime.get(ImportsService, 'imports'), this.runtime.queue()]);
    // Without a running worker this process does the work itself, through the same jobs.
    if (!(await queue.consumersOnline())) await queue.consumeHere();
    const summaries: (ImportSummary & { firstWarnings?: WarningLine[] } | RefusedFile)[] = [];
    for (const file of files) {
      const batch = await imports.submit(file, 'cli').catch((err: Error) => {
        if (!(err instanceof ImportRequestError)) throw err;
        // Refused before any row was read: reported, and no batch is left behind for it.
        summaries.push({ file, status: 'refused', batchId: null, error: err.message });
        if (!options.json) this.out.line(`${file}: refused, ${err.message}`);
        return null;
      });
      if (!batch) continue;
      const stopHere = () => this.interrupted(file, batch.id);
      process.once('SIGINT', stopHere);
      const summary = await imports.waitFor(batch.id, (b) => this.out.progress(b.fileName, progressOf(b))).finally(() => process.off('SIGINT', stopHere));
      this.out.endProgress();
      const warnings = (await imports.warnings(batch.id, FIRST_WARNINGS)).map((w) => ({ sheet: w.sheet, recordRef: w.recordRef, column: w.columnName, reason: w.reason }));
      summaries.push(options.json ? { ...summary, firstWarnings: warnings } : summary);
      if (options.json) continue;
      for (const line of describeSummary(summary)) this.out.line(line);
      if (summary.status !== 'refused') for (const r of await imports.rejections(batch.id, 20)) this.out.line(`  rejected ${describePlace(r)}: ${r.reason}`);
      for (const w of warnings) this.out.line(`  warning ${describePlace({ ...w, columnName: w.column })}: ${w.reason}`);
    }
    if (options.json) this.out.json(summaries.length === 1 ? summaries[0] : summaries);
    if (summaries.some((s) => s.status === 'failed' || s.status === 'refused')) process.exitCode = 2;
  }

  /**
   * Ctrl-C during an import: a merge not yet committed is abandoned with its transaction, and
   * PostgreSQL still records the batch as unfinished. Say so, rather than leave a batch that looks
   * as if it were still running.
   */
  private interrupted(file: string, batchId: string): never {
    this.out.endProgress();
    process.stderr.write(`qingcheng: interrupted: batch ${batchId} (${file}) is left where it stood, and a merge not yet committed applied nothing; \`qingcheng imports\` shows its status, and a worker (npm run worker) resumes an unfinished batch from the start of its step\n`);
    process.exit(130);
  }

  @Option({ flags: '--json', description: 'print the accounting as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'imports', description: 'list import batches with their counts; imports rollback <batchId>', subCommands: [ImportsRollbackCommand] })
export class ImportsListCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const imports = await this.runtime.get((await import('@qc/ingestion')).ImportsService, 'imports');
    const batches = await imports.list(100);
    if (batches.length === 0) this.out.line('no imports yet');
    for (const b of batches) {
      this.out.line(`${formatPersonTime(b.createdAt)}  ${b.id}  ${b.status.padEnd(9)} ${(b.sourceKind ?? '-').padEnd(4)} rows ${b.rowsRead} acc ${b.accepted} rej ${b.rejected} skip ${b.skipped}  ${b.fileName}`);
    }
  }
}

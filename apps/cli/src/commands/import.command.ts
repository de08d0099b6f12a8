import { Command, CommandRunner, Option } from 'nest-commander';
import { accountingAddsUp, describeSheet, ImportsService, ImportSummary } from '@qc/ingestion';
import { JobQueue } from '@qc/jobs';
import { Output, UsageError } from '../output';
import { ImportsRollbackCommand } from './rollback.command';

export function describeSummary(s: ImportSummary): string[] {
  const lines = [`${s.file}: ${s.status}${s.sourceKind ? ` (${s.sourceKind})` : ''}, batch ${s.batchId}`];
  if (s.error) lines.push(`  ${s.error}`);
  lines.push(`  rows ${s.rows} = accepted ${s.accepted} + rejected ${s.rejected} + skipped ${s.skipped}${accountingAddsUp(s) ? '' : '  (DOES NOT ADD UP)'}`);
  lines.push(`  entities: created ${s.created}, matched ${s.matched} (updated ${s.updated}), review pending ${s.reviewPending}`);
  if (s.warnings > 0) lines.push(`  warnings ${s.warnings} (rows applied with a flagged cell or a conflict to review)`);
  for (const sheet of s.sheets) lines.push(...describeSheet(sheet).map((line) => `  ${line}`));
  return lines;
}

/** Where a rejected row is, as a person finds it: sheet and row in a workbook, the line in a CSV. */
export function describePlace(r: { sheet: string | null; recordRef: string | null; columnName: string | null }): string {
  const place = r.sheet ? `sheet ${r.sheet} row ${r.recordRef?.split('!').pop()}` : `line ${r.recordRef}`;
  return r.columnName ? `${place}, column ${r.columnName}` : place;
}

/** How many warnings an import prints (and `--json` lists) per file; the quality report counts them all. */
const FIRST_WARNINGS = 20;
interface WarningLine { sheet: string | null; recordRef: string; column: string | null; reason: string }

/** Imports files through the same queue and jobs the worker runs. */
@Command({ name: 'import', arguments: '<files...>', description: 'import legacy export files and print the accounting' })
export class ImportCommand extends CommandRunner {
  constructor(private readonly imports: ImportsService, private readonly queue: JobQueue, private readonly out: Output) { super(); }

  async run(files: string[], options: { json?: boolean }): Promise<void> {
    if (files.length === 0) throw new UsageError('name at least one file to import');
    // Without a running worker this process does the work itself, through the same jobs.
    if (!(await this.queue.consumersOnline())) await this.queue.consumeHere();
    const summaries: (ImportSummary & { firstWarnings?: WarningLine[] })[] = [];
    for (const file of files) {
      const batch = await this.imports.submit(file, 'cli');
      const summary = await this.imports.waitFor(batch.id, (b) => this.out.progress(b.fileName, b.progressDone, b.progressTotal));
      this.out.endProgress();
      const warnings = (await this.imports.warnings(batch.id, FIRST_WARNINGS)).map((w) => ({ sheet: w.sheet, recordRef: w.recordRef, column: w.columnName, reason: w.reason }));
      summaries.push(options.json ? { ...summary, firstWarnings: warnings } : summary);
      if (!options.json) for (const line of describeSummary(summary)) this.out.line(line);
      if (!options.json) for (const r of await this.imports.rejections(batch.id, 20)) {
        if (summary.status !== 'refused') this.out.line(`  rejected ${describePlace(r)}: ${r.reason}`);
      }
      if (!options.json) for (const w of warnings) this.out.line(`  warning ${describePlace({ ...w, columnName: w.column })}: ${w.reason}`);
    }
    if (options.json) this.out.json(summaries.length === 1 ? summaries[0] : summaries);
    if (summaries.some((s) => s.status === 'failed' || s.status === 'refused')) process.exitCode = 2;
  }

  @Option({ flags: '--json', description: 'print the accounting as JSON' })
  parseJson(): boolean {
    return true;
  }
}

@Command({ name: 'imports', description: 'list import batches with their counts; imports rollback <batchId>', subCommands: [ImportsRollbackCommand] })
export class ImportsListCommand extends CommandRunner {
  constructor(private readonly imports: ImportsService, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const batches = await this.imports.list(100);
    if (batches.length === 0) this.out.line('no imports yet');
    for (const b of batches) {
      this.out.line(`${b.createdAt.toISOString()}  ${b.id}  ${b.status.padEnd(9)} ${(b.sourceKind ?? '-').padEnd(4)} rows ${b.rowsRead} acc ${b.accepted} rej ${b.rejected} skip ${b.skipped}  ${b.fileName}`);
    }
  }
}

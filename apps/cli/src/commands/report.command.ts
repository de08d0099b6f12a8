import { Command, CommandRunner, Option } from 'nest-commander';
import { formatOfFileName, ReportRequestError, ReportsService, writeReport } from '@qc/reports';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Output, UsageError } from '../output';

interface ReportOptions { scope?: string; out?: string; revealPii?: boolean }

const USAGE = 'qingcheng report <structure|red-property|roster|quality> [--scope CODE|ORG_ID|BATCH_ID] --out FILE.xlsx|FILE.csv [--reveal-pii]';

/** Writes one report to a file, as a workbook or CSV by the file's extension. */
@Command({ name: 'report', arguments: '<name>', description: 'write a report (structure, red-property, roster, quality) to an .xlsx or .csv file' })
export class ReportCommand extends CommandRunner {
  constructor(private readonly reports: ReportsService, private readonly out: Output) { super(); }

  async run([name]: string[], options: ReportOptions): Promise<void> {
    if (!options.out) throw new UsageError(`usage: ${USAGE}`);
    const format = formatOfFileName(options.out);
    if (format !== 'xlsx' && format !== 'csv') throw new UsageError(`--out must end in .xlsx or .csv, not ${options.out}`);
    // At the command line, personal data in clear needs saying so; the read is audited under the OS user.
    const reader = { actor: `cli:${userInfo().username}`, apiKeyId: null, mayReadPii: options.revealPii === true };
    const table = await this.reports.open(name, { scope: options.scope ?? null, reader }).catch((err: unknown) => {
      throw err instanceof ReportRequestError ? new UsageError(err.message) : err;
    });
    // Written beside the target and renamed when complete: a failed run leaves no half file under the name.
    const partial = `${options.out}.part`;
    try {
      const rows = await writeReport(table, format, createWriteStream(partial));
      renameSync(partial, options.out);
      this.out.line(`wrote ${table.title} (${rows} rows) to ${options.out}`);
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
  }

  @Option({ flags: '--scope <scope>', description: 'division code, organization id (roster) or import batch id (quality); the city by default' })
  parseScope(v: string): string { return v; }

  @Option({ flags: '--out <file>', description: 'the .xlsx or .csv file to write' })
  parseOut(v: string): string { return v; }

  @Option({ flags: '--reveal-pii', description: 'roster: ID numbers and phones in clear (audited as cli:<user>)' })
  parseRevealPii(): boolean { return true; }
}

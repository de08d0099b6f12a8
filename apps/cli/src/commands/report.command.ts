import { Command, CommandRunner, Option } from 'nest-commander';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { Output, UsageError, writableOutput } from '../output';
import { Runtime } from '../runtime';

interface ReportOptions { scope?: string; out?: string; revealPii?: boolean }

const USAGE = 'qingcheng report <structure|red-property|roster|quality> [--scope CODE|ORG_ID|BATCH_ID] --out FILE.xlsx|FILE.csv|FILE.json [--reveal-pii]';

/** Writes one report to a file, as a workbook, CSV or JSON by the file's extension. */
@Command({ name: 'report', arguments: '<name>', description: 'write a report (structure, red-property, roster, quality) to an .xlsx, .csv or .json file' })
export class ReportCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run([name]: string[], options: ReportOptions): Promise<void> {
    if (!options.out) throw new UsageError(`usage: ${USAGE}`);
    const { formatOfFileName, REPORT_FORMATS, ReportRequestError, ReportsService, writeReport } = await import('@qc/reports');
    const format = formatOfFileName(options.out);
    if (!format) throw new UsageError(`--out must end in ${REPORT_FORMATS.map((f) => `.${f}`).join(' or ')}, not ${options.out}`);
    const file = await writableOutput(options.out);
    // At the command line, personal data in clear needs saying so; the read is audited under the OS user.
    const reader = { actor: `cli:${userInfo().username}`, apiKeyId: null, mayReadPii: options.revealPii === true };
    const reports = await this.runtime.get(ReportsService, 'reports');
    const table = await reports.open(name, { scope: options.scope ?? null, reader }).catch((err: unknown) => {
      throw err instanceof ReportRequestError ? new UsageError(err.message) : err;
    });
    // Written beside the target and renamed when complete: a failed run leaves no half file under the name.
    const partial = `${file}.part`;
    try {
      const rows = await writeReport(table, format, createWriteStream(partial));
      renameSync(partial, file);
      this.out.line(`wrote ${table.title} (${rows} rows) to ${file}`);
    } catch (err) {
      rmSync(partial, { force: true });
      throw err;
    }
  }

  @Option({ flags: '--scope <scope>', description: 'division code, organization id (roster) or import batch id (quality); the city by default' })
  parseScope(v: string): string { return v; }

  @Option({ flags: '--out <file>', description: 'the file to write: .xlsx, .csv or .json' })
  parseOut(v: string): string { return v; }

  @Option({ flags: '--reveal-pii', description: 'roster: ID numbers and phones in clear (audited as cli:<user>)' })
  parseRevealPii(): boolean { return true; }
}

import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { createWriteStream } from 'node:fs';
import { Output, UsageError, writableOutput } from '../output';
import { Runtime } from '../runtime';

const importsOf = async (runtime: Runtime) => runtime.get((await import('@qc/ingestion')).ImportsService, 'imports');

/** Rows read from the database per query: memory stays flat however large the table. */
const PAGE_ROWS = 5000;

interface ExportOptions { out?: string; bom?: boolean; batch?: string }

async function* cellsOf<Row>(rows: AsyncIterable<Row>, toCells: (row: Row) => unknown[]): AsyncGenerator<unknown[]> {
  for await (const row of rows) yield toCells(row);
}

function outputFile(options: ExportOptions, usage: string): Promise<string> {
  if (!options.out) throw new UsageError(`usage: ${usage}`);
  return writableOutput(options.out);
}

@SubCommand({ name: 'export', description: 'write every lineage link (record → entity) as CSV' })
export class LinksExportCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(_: string[], options: ExportOptions): Promise<void> {
    const file = await outputFile(options, 'qingcheng links export --out FILE.csv [--bom]');
    const [{ keysetPages, writeCsv }, imports] = await Promise.all([import('@qc/export'), importsOf(this.runtime)]);
    const links = keysetPages((after: string | null, limit) => imports.linksPage(limit, after), (l) => l.id, PAGE_ROWS);
    const written = await writeCsv(
      cellsOf(links, (l) => [l.sourceFile, l.recordRef, l.entityType, l.entityId, l.role, l.method, l.score]),
      createWriteStream(file),
      { header: ['source_file', 'record_ref', 'entity_type', 'entity_id', 'role', 'method', 'score'], bom: options.bom },
    );
    this.out.line(`wrote ${written} links to ${file}`);
  }

  @Option({ flags: '--out <file>', description: 'the CSV file to write' }) parseOut(v: string) { return v; }
  @Option({ flags: '--bom', description: 'start with a UTF-8 byte order mark, for Excel' }) parseBom() { return true; }
}

@SubCommand({ name: 'export', description: 'write rejected rows with their reasons as CSV (personal data masked)' })
export class RejectsExportCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(_: string[], options: ExportOptions): Promise<void> {
    const file = await outputFile(options, 'qingcheng rejects export --out FILE.csv [--batch ID] [--bom]');
    const [{ keysetPages, writeCsv }, { isUUID }, imports] = await Promise.all([import('@qc/export'), import('class-validator'), importsOf(this.runtime)]);
    const batchId = options.batch;
    if (batchId !== undefined && !(isUUID(batchId) && (await imports.get(batchId)))) throw new UsageError(`no import batch ${batchId}`);
    const rejections = keysetPages((after: string | null, limit) => imports.rejectionsPage(limit, { batchId, after }), (r) => r.id, PAGE_ROWS);
    const written = await writeCsv(
      cellsOf(rejections, (r) => [r.sourceFile, r.sheet, r.recordRef, r.column, r.reason, r.raw]),
      createWriteStream(file),
      { header: ['source_file', 'sheet', 'record_ref', 'column', 'reason', 'raw'], bom: options.bom },
    );
    this.out.line(`wrote ${written} rejections to ${file}`);
  }

  @Option({ flags: '--out <file>', description: 'the CSV file to write' }) parseOut(v: string) { return v; }
  @Option({ flags: '--batch <id>', description: 'only this import batch' }) parseBatch(v: string) { return v; }
  @Option({ flags: '--bom', description: 'start with a UTF-8 byte order mark, for Excel' }) parseBom() { return true; }
}

@Command({ name: 'links', description: 'lineage links between source rows and registry entities', subCommands: [LinksExportCommand] })
export class LinksCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng links export --out FILE.csv [--bom]');
  }
}

@Command({ name: 'rejects', description: 'rows that imports rejected', subCommands: [RejectsExportCommand] })
export class RejectsCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng rejects export --out FILE.csv [--batch ID] [--bom]');
  }
}

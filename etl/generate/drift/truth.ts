/** The drifted city's records.csv, its per-file counts for the manifest, and columns.json (what each sheet's columns hold). */
import * as fs from 'fs';
import * as path from 'path';
import { CsvWriter } from '../writers';
import type { RowTruth } from './render';

interface FileCounts {
  rows: number;
  valid: number;
  sheets?: Record<string, number>;
  invalid: Record<string, number>;
}

/** Per file, per sheet ('' for CSV), each column's header as written and the field it carries (null: of no use). */
export type ColumnsTruth = Record<string, Record<string, { header: string; field: string | null }[]>>;

export class DriftTruth {
  private readonly records: CsvWriter;
  readonly counts = new Map<string, FileCounts>();
  private readonly columnsByFile: ColumnsTruth = {};

  constructor(private readonly truthDir: string) {
    this.records = new CsvWriter(path.join(truthDir, 'records.csv'));
  }

  async open(): Promise<void> {
    await this.records.row(['source_file', 'record_ref', 'entity_type', 'truth_id', 'valid']);
  }

  private countsOf(file: string): FileCounts {
    let c = this.counts.get(file);
    if (!c) this.counts.set(file, (c = { rows: 0, valid: 0, invalid: {} }));
    return c;
  }

  async record(filePath: string, ref: string | number, truth: RowTruth, sheet?: string): Promise<void> {
    const file = path.basename(filePath);
    const c = this.countsOf(file);
    c.rows++;
    if (truth.invalid) c.invalid[truth.invalid] = (c.invalid[truth.invalid] ?? 0) + 1;
    else c.valid++;
    if (sheet) {
      c.sheets ??= {};
      c.sheets[sheet] = (c.sheets[sheet] ?? 0) + 1;
    }
    await this.records.row([file, ref, truth.entity, truth.truthId, truth.invalid ? 0 : 1]);
  }

  columns(filePath: string, sheet: string | null, columns: { header: string; field: string | null }[]): void {
    const file = path.basename(filePath);
    this.countsOf(file);
    (this.columnsByFile[file] ??= {})[sheet ?? ''] = columns.map(({ header, field }) => ({ header, field }));
  }

  async close(): Promise<void> {
    await this.records.close();
    fs.writeFileSync(path.join(this.truthDir, 'columns.json'), JSON.stringify(this.columnsByFile, null, 2) + '\n');
  }
}

import { CellValue } from '@qc/readers';
import { Reason } from '@qc/reasons';
import { MergeSession, Origin } from '@qc/registry';

/** One problem with one cell, named by the header the file used. */
export interface FieldProblem {
  column: string | null;
  reason: Reason;
}

/** A record is accepted (with warnings about cells it could not read: flagged, kept in the raw row) or rejected with its problems. */
export type ParseOutcome<R> = { ok: true; record: R; warnings?: FieldProblem[] } | { ok: false; problems: FieldProblem[] };

/** Where a row was read: what a definition may need besides the row's own cells. */
export interface SheetContext {
  fileName: string;
  sheet: string | null;
  format: 'csv' | 'xlsx' | 'xls' | 'json';
  /** Title rows above the header, then the file name: where a community ledger names its community. */
  titles: string[];
  /** Field → the header the file used, for naming columns in messages. */
  headers: Record<string, string>;
}

/** A staged, accepted record as the merge reads it back. */
export interface StagedRecord<R> {
  id: string;
  payload: R;
  rowHash: string;
  recordRef: string;
}

/** A reference a record made to another entity (its organization, community, compound, …). */
export interface RecordReference {
  role: string;
  entityType: string;
  entityId: string;
  method: string;
}

export interface MergeOutcome {
  /** The subject entity the record became or matched. */
  entityType: string;
  entityId: string;
  outcome: 'created' | 'updated' | 'unchanged';
  method: string;
  score?: number | null;
  references?: RecordReference[];
  /** A review task was opened about this record. */
  review?: boolean;
  /** What the import should say about this record although it was applied (e.g. an ID claimed under another name). */
  warnings?: FieldProblem[];
}

/**
 * Everything the pipeline needs to know about one kind of sheet: how to read a row into a
 * validated record (stage) and how to apply a chunk of records to the registry (merge).
 */
export interface SourceDefinition<R> {
  /** The layout entity (from @qc/layout, or app-organization/app-member for the JSON export) this definition handles. */
  layoutEntity: string;
  /** The source kind (S1…S6) a file of this sheet kind and format is. */
  sourceKind(format: SheetContext['format']): string;
  /** Fields without which no row of the sheet can be imported: the file is refused. */
  requiredFields: readonly string[];
  parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<R>>;
  /** One outcome per record, in order; a FieldProblem rejects that record only. */
  merge(records: StagedRecord<R>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]>;
}

/** Merges records one by one, each with its origin for lineage; for definitions whose records stand alone. */
export async function mergeEach<R>(
  records: StagedRecord<R>[], batchId: string, sourceKind: string,
  merge: (record: StagedRecord<R>, origin: Origin) => Promise<MergeOutcome | FieldProblem>,
): Promise<(MergeOutcome | FieldProblem)[]> {
  const outcomes: (MergeOutcome | FieldProblem)[] = [];
  for (const record of records) outcomes.push(await merge(record, { sourceRecordId: record.id, batchId, source: sourceKind }));
  return outcomes;
}

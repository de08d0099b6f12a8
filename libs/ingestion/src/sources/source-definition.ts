import { CellValue } from '@qc/readers';
import { EntityManager } from 'typeorm';

/** One problem with one cell, named by the header the file used. */
export interface FieldProblem {
  column: string | null;
  reason: string;
}

export type ParseOutcome<R> = { ok: true; record: R } | { ok: false; problems: FieldProblem[] };

export interface MergeContext {
  manager: EntityManager;
  batchId: string;
  sourceRecordId: string;
}

export interface MergeOutcome {
  /** The subject entity the record became or matched. */
  entityType: string;
  entityId: string;
  outcome: 'created' | 'updated' | 'unchanged';
  method: string;
}

/**
 * Everything the pipeline needs to know about one kind of sheet: how to read a row into a
 * validated record (stage) and how to apply that record to the registry (merge).
 */
export interface SourceDefinition<R> {
  /** S1…S6, as in etl/README.md. */
  sourceKind: string;
  /** The layout entity (from @qc/layout) this definition handles. */
  layoutEntity: string;
  /** Fields without which no row of the sheet can be imported: the file is refused. */
  requiredFields: readonly string[];
  /** The entity type a record of this sheet describes. */
  entityType: string;
  parse(cells: Record<string, CellValue>, headers: Record<string, string>): Promise<ParseOutcome<R>>;
  merge(record: R, context: MergeContext): Promise<MergeOutcome | FieldProblem>;
}

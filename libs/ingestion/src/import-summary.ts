import { ImportBatch } from '@qc/database';

/** The final accounting of one batch, as the CLI prints it (and `--json` emits it). */
export interface ImportSummary {
  batchId: string;
  file: string;
  status: string;
  sourceKind: string | null;
  rows: number;
  accepted: number;
  rejected: number;
  skipped: number;
  /** Rows applied with a warning each (a flagged cell, an ID under another name): not part of the accounting. */
  warnings: number;
  created: number;
  matched: number;
  updated: number;
  reviewPending: number;
  error: string | null;
}

export function summarize(batch: ImportBatch): ImportSummary {
  return {
    batchId: batch.id,
    file: batch.fileName,
    status: batch.status,
    sourceKind: batch.sourceKind,
    rows: batch.rowsRead,
    accepted: batch.accepted,
    rejected: batch.rejected,
    skipped: batch.skipped,
    warnings: batch.warnings,
    created: batch.created,
    matched: batch.matched,
    updated: batch.updated,
    reviewPending: batch.reviewPending,
    error: batch.error,
  };
}

/** rows read = accepted + rejected + skipped, always. */
export function accountingAddsUp(s: Pick<ImportSummary, 'rows' | 'accepted' | 'rejected' | 'skipped'>): boolean {
  return s.rows === s.accepted + s.rejected + s.skipped;
}

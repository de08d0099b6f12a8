import { ImportBatch, SheetAccount } from '@qc/database';

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
  /** Per sheet: the kind read, the columns used and ignored, or why it was skipped or refused. */
  sheets: SheetAccount[];
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
    sheets: batch.sheets ?? [],
  };
}

/** rows read = accepted + rejected + skipped, always. */
export function accountingAddsUp(s: Pick<ImportSummary, 'rows' | 'accepted' | 'rejected' | 'skipped'>): boolean {
  return s.rows === s.accepted + s.rejected + s.skipped;
}

/** A sheet's account in lines a person reads: what it was taken for, each column used and ignored, and warnings. */
export function describeSheet(s: SheetAccount): string[] {
  const name = s.sheet === null ? 'file' : `sheet ${s.sheet}`;
  if (s.status !== 'imported') return [`${name}: ${s.status}, ${s.rows} rows not read`, `  ${s.reason}`];
  const lines = [`${name}: ${s.label} (${s.kind}, score ${s.score?.toFixed(2)}), ${s.rows} rows`];
  lines.push(`  columns used: ${s.used.map((c) => `${c.header} → ${c.field}${c.evidence === 'values' ? ' (by its values)' : ''}`).join(', ')}`);
  for (const c of s.ignored) lines.push(`  column ignored: ${c.header}: ${c.reason}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

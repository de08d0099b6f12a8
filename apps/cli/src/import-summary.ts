import { accountingAddsUp, describeSheet, ImportSummary } from '@qc/ingestion';

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

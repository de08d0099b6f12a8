import { PersonalDataReaderContext } from '@qc/pii';

/** How a column's values are written and printed. */
export type ColumnFormat = 'text' | 'integer' | 'percent' | 'date';

export interface ReportColumn {
  header: string;
  /** A stable name for programs (the structure report's figures are DivisionStats fields). */
  key?: string;
  /** Width in characters (a CJK character counts about 2). */
  width: number;
  format: ColumnFormat;
}

/** A data row, or a subtotal / total row (printed bold and shaded), or an indented detail line under a row. */
export type RowKind = 'data' | 'subtotal' | 'total' | 'detail';

export interface ReportRow {
  kind: RowKind;
  cells: readonly unknown[];
}

/** What a report was asked for, and by whom (who may see personal data, who is audited). */
export interface ReportRequest {
  /** A division code, an organization id, or null for the whole city. */
  scope: string | null;
  reader: PersonalDataReaderContext;
}

/** A report, resolved for one scope: its heading and its rows, produced lazily. */
export interface ReportTable {
  title: string;
  /** The line under the title: scope and date. */
  subtitle: string;
  sheetName: string;
  columns: readonly ReportColumn[];
  rows: AsyncIterable<ReportRow>;
}

import { PersonalDataReaderContext } from '@qc/pii';

/** How a column's values are written and printed; serial: a running number (序号), without thousands separators. */
export type ColumnFormat = 'text' | 'integer' | 'percent' | 'date' | 'serial';

export interface ReportColumn {
  header: string;
  /** A stable name for programs (the structure report's figures are DivisionStats fields). */
  key?: string;
  /** Width in characters (a CJK character counts 2); text longer than that wraps onto more lines. */
  width: number;
  format: ColumnFormat;
}

/** A data row, or a subtotal / total row (printed bold and shaded), or an indented detail line under a row. */
export type RowKind = 'data' | 'subtotal' | 'total' | 'detail';

export interface ReportRow {
  kind: RowKind;
  cells: readonly unknown[];
  /** Printed: the first cell runs across this many columns (a note wider than its column), the others of them left empty. */
  span?: number;
}

/** What a report was asked for, and by whom (who may see personal data, who is audited). */
export interface ReportRequest {
  /** A division code, an organization id, or null for the whole city. */
  scope: string | null;
  reader: PersonalDataReaderContext;
  /** Structure report: leave out communities no import has data for (default: only for the city). */
  omitEmptyCommunities?: boolean;
}

/** A report, resolved for one scope: its heading and its rows, produced lazily. */
export interface ReportTable {
  title: string;
  /** The line under the title: scope and date. */
  subtitle: string;
  sheetName: string;
  columns: readonly ReportColumn[];
  rows: AsyncIterable<ReportRow>;
  /** The imports the rows come from, with their dates (数据来源：…), printed under the table above the sign-off block. */
  sources: string;
}

/** The sign-off block under every printed report: who files it, who made it, who checked it, when. */
export const SIGN_OFF_LABELS = ['填报单位', '制表人', '审核人', '日期'] as const;

/** Written in a cell whose source has not been imported for that row (e.g. households before the civil-affairs basics). */
export const NOT_IMPORTED = '未导入';
/** Written in a cell whose source was imported but gave nothing for it (e.g. a ledger row without a company). */
export const NO_DATA = '无数据';

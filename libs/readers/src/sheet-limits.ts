import { SourceError } from './errors';
import { CellValue, ReaderLimits } from './types';

/** The row, column and cell-size limits of one sheet of a workbook, whichever reader reads it. */
export class SheetLimits {
  private rows = 0;

  constructor(
    private readonly file: string,
    private readonly sheet: string,
    private readonly limits: ReaderLimits,
  ) {}

  /** Count a row (numbered `line` in the sheet); refuse the sheet past maxRows. */
  row(line: number): void {
    this.rows++;
    if (this.rows > this.limits.maxRows || line > this.limits.maxRows) {
      throw new SourceError('limit', this.file, `workbook ${this.file} sheet ${this.sheet} has more than ${this.limits.maxRows} rows (limit maxRows)`, this.ref(line));
    }
  }

  /** Check a cell in column `col` (1-based) of row `line`; returns its value. */
  cell(line: number, col: number, value: CellValue): CellValue {
    if (col > this.limits.maxColumns) throw this.pastColumns(line, col);
    if (typeof value === 'string' && value.length > this.limits.maxCellChars) {
      throw new SourceError('limit', this.file, `workbook ${this.file} sheet ${this.sheet} row ${line} column ${col} has ${value.length} characters, more than the limit of ${this.limits.maxCellChars}`, this.ref(line));
    }
    return value;
  }

  /** The refusal of a cell in column `col` (1-based) of row `line`, past maxColumns. */
  pastColumns(line: number, col: number): SourceError {
    return new SourceError('limit', this.file, `workbook ${this.file} sheet ${this.sheet} row ${line} has a cell in column ${col}, beyond the limit of ${this.limits.maxColumns}`, this.ref(line));
  }

  private ref(line: number): string {
    return `${this.sheet}!${line}`;
  }
}

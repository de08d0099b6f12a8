import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ColumnFormat, ReportColumn, ReportTable, RowKind, SIGN_OFF_LABELS } from './report-definition';
import { reportDate } from './report-scope';
import { wrappedLines } from './text-width';

/**
 * A print-ready single-sheet workbook written as it streams: title, scope line, frozen header
 * (repeated on every printed page), autofilter, column widths, number formats, A4 landscape
 * fit-to-width, subtotal rows shaded, text wrapped within its column with each row as high as its
 * longest text needs (LibreOffice and Excel do not grow rows whose height is given, and merged
 * cells never), then the data-source line and the sign-off block.
 *
 * Why not exceljs's WorkbookWriter: its sheet stream (StreamBuf) returns true from every write and
 * hands its buffers to archiver without waiting for them to be taken, so nothing ever pushes back
 * on the producer and the sheet's XML piles up in memory faster than it is zipped and written
 * (hundreds of MB for 1M rows, whatever row.commit(), useSharedStrings or awaiting 'drain' on the
 * file do). Here the sheet XML goes into a PassThrough whose write() result is
 * honoured (await 'drain'), archiver zips it, and archiver is piped to the output, so memory is
 * bounded by a few stream buffers. Strings are inline (no shared-strings table to keep), and the
 * style table is fixed.
 */
export async function writeXlsx(table: ReportTable, out: Writable): Promise<number> {
  // Loaded when a workbook is written: commands that write none start without it.
  const { default: archiver } = await import('archiver');
  const zip = archiver('zip');
  const sheet = new PassThrough({ highWaterMark: CHUNK_BYTES });
  const outputDone = finished(zip.pipe(out));
  // A client that goes away (or a full disk) stops the producer instead of leaving it waiting on 'drain'.
  outputDone.catch((err: Error) => sheet.destroy(err));
  zip.on('error', (err: Error) => sheet.destroy(err));
  // The sheet only ever fails with those errors, which reach the caller through the awaits below.
  sheet.on('error', () => undefined);

  zip.append(CONTENT_TYPES, { name: '[Content_Types].xml' });
  zip.append(ROOT_RELS, { name: '_rels/.rels' });
  zip.append(WORKBOOK_RELS, { name: 'xl/_rels/workbook.xml.rels' });
  zip.append(STYLES, { name: 'xl/styles.xml' });
  zip.append(sheet, { name: 'xl/worksheets/sheet1.xml' });

  const plan = planColumns(table.columns);
  const lastColumn = columnName(plan.length - 1);
  const pageWidth = widthOf(table.columns);
  let pending = sheetStart(table);
  let rowNumber = HEADER_ROW;
  let dataRows = 0;
  const merged = ['A1', 'A2'].map((first) => `${first}:${lastColumn}${first.slice(1)}`);
  try {
    for await (const row of table.rows) {
      rowNumber++;
      if (row.kind === 'data') dataRows++;
      const span = Math.min(row.span ?? 1, plan.length);
      if (span > 1) merged.push(`A${rowNumber}:${columnName(span - 1)}${rowNumber}`);
      pending += rowXml(rowNumber, row.kind, plan, row.cells, span);
      if (pending.length >= CHUNK_CHARS) {
        if (!sheet.write(pending)) await once(sheet, 'drain');
        pending = '';
      }
    }
  } catch (err) {
    // A half-written workbook is unreadable: the output is broken off, not ended as if complete.
    zip.abort();
    out.destroy(err as Error);
    throw err;
  }
  const filterRange = `$A$${HEADER_ROW}:$${lastColumn}$${Math.max(rowNumber, HEADER_ROW + 1)}`;
  // One empty row, then the data-source line and the sign-off block, each across the whole width.
  const sourcesRow = rowNumber + 2;
  const signOffRow = sourcesRow + 1;
  const footer = fullWidthRow(sourcesRow, FOOTER_STYLE, table.sources, pageWidth) + fullWidthRow(signOffRow, FOOTER_STYLE, signOffLine(), pageWidth);
  merged.push(...[sourcesRow, signOffRow].map((row) => `A${row}:${lastColumn}${row}`));
  sheet.end(pending + footer + sheetEnd(merged, filterRange.replace(/\$/g, '')));
  // Defined names need the last row, so the workbook part follows the sheet in the zip.
  zip.append(workbookXml(table.sheetName, filterRange), { name: 'xl/workbook.xml' });
  await zip.finalize();
  await outputDone;
  return dataRows;
}

/** Rows 1 and 2 are the title and the scope line, row 3 the header; data starts on row 4. */
const HEADER_ROW = 3;
/** Enough sheet XML buffered for the compressor (on libuv's threads) to work while the next rows are made; still a few MB at most. */
const CHUNK_BYTES = 1 << 20;
const CHUNK_CHARS = 1 << 14;

const FORMATS: readonly ColumnFormat[] = ['text', 'integer', 'percent', 'date', 'serial'];
const KINDS: readonly RowKind[] = ['data', 'subtotal', 'total', 'detail'];
const TITLE_STYLE = 1;
const SUBTITLE_STYLE = 2;
const HEADER_STYLE = 3;
/** After the body styles: the data-source line and the sign-off block (wrapped, left, no border). */
const FOOTER_STYLE = 4 + KINDS.length * FORMATS.length;
/** Points per printed line of 11 pt text (CJK fonts' line spacing), and what a row adds above and below. */
const LINE_POINTS = 15;
const ROW_PADDING_POINTS = 4;

/** The table's width in characters: what a line across it (title, scope, sources, sign-off) may fill. */
function widthOf(columns: readonly { width: number }[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0);
}

/** The height of a row whose texts wrap into `lines` lines at most. */
function rowHeight(lines: number): number {
  return lines * LINE_POINTS + ROW_PADDING_POINTS;
}

/** 填报单位：____ 制表人：____ 审核人：____ 日期：today: blanks to sign by hand, the date the report was made. */
function signOffLine(): string {
  const blank = '_'.repeat(16);
  return SIGN_OFF_LABELS.map((label) => `${label}：${label === '日期' ? reportDate() : blank}`).join('　　　　');
}
/** Cell style index: the fixed table in STYLES has one entry per row kind × column format, after the three heading styles. */
function styleOf(kind: RowKind, format: ColumnFormat): number {
  return 4 + KINDS.indexOf(kind) * FORMATS.length + FORMATS.indexOf(format);
}

export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// Characters XML 1.0 cannot carry at all (control characters, lone surrogates) are dropped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Anything xmlText changes; most cells have none of it and are returned as they are. */
const NEEDS_ESCAPING = /[&<>"\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
export function xmlText(text: string): string {
  if (!NEEDS_ESCAPING.test(text)) return text;
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inlineString(ref: string, style: number, text: string): string {
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** A full date (2001-07-01 or a Date) as an Excel serial day; anything less precise stays text. */
function excelDay(value: unknown): number | null {
  if (value instanceof Date) return (Date.UTC(value.getFullYear(), value.getMonth(), value.getDate()) - EXCEL_EPOCH_MS) / 86_400_000;
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? (Date.UTC(+match[1], +match[2] - 1, +match[3]) - EXCEL_EPOCH_MS) / 86_400_000 : null;
}

function cellXml(ref: string, style: number, format: ColumnFormat, value: unknown): string {
  if (value === null || value === undefined || value === '') return `<c r="${ref}" s="${style}"/>`;
  if (typeof value === 'number' && Number.isFinite(value) && format !== 'text') return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  if (format === 'date') {
    const day = excelDay(value);
    if (day !== null) return `<c r="${ref}" s="${style}"><v>${day}</v></c>`;
  }
  // Inline strings are never evaluated: text that looks like a formula stays text in a workbook.
  return inlineString(ref, style, value instanceof Date ? value.toISOString() : String(value));
}

/** Per column, what every row needs: its letter, its format, its style per row kind (computed once, not per cell). */
interface ColumnPlan { letter: string; format: ColumnFormat; width: number; style: Record<RowKind, number> }

function planColumns(columns: readonly ReportColumn[]): ColumnPlan[] {
  return columns.map((c, i) => ({
    letter: columnName(i), format: c.format, width: c.width,
    style: Object.fromEntries(KINDS.map((kind) => [kind, styleOf(kind, c.format)])) as Record<RowKind, number>,
  }));
}

/** A row; its first cell is as wide as the `span` columns it is merged across. */
function rowXml(rowNumber: number, kind: RowKind, plan: readonly ColumnPlan[], cells: readonly unknown[], span = 1): string {
  let xml = '';
  let lines = 1;
  for (let i = 0; i < plan.length; i++) {
    const column = plan[i];
    const value = cells[i];
    const width = i === 0 && span > 1 ? widthOf(plan.slice(0, span)) : column.width;
    if (typeof value === 'string' && value !== '') lines = Math.max(lines, wrappedLines(value, width));
    xml += cellXml(column.letter + rowNumber, column.style[kind], column.format, value);
  }
  return `<row r="${rowNumber}" ht="${rowHeight(lines)}" customHeight="1">${xml}</row>`;
}

/** A row of one text across the whole width (merged by the caller), as high as the text wraps. */
function fullWidthRow(rowNumber: number, style: number, text: string, pageWidth: number): string {
  return `<row r="${rowNumber}" ht="${rowHeight(wrappedLines(text, pageWidth))}" customHeight="1">${inlineString(`A${rowNumber}`, style, text)}</row>`;
}

function sheetStart(table: ReportTable): string {
  const cols = table.columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  const header = table.columns.map((c, i) => inlineString(`${columnName(i)}${HEADER_ROW}`, HEADER_STYLE, c.header)).join('');
  const headerLines = Math.max(2, ...table.columns.map((c) => wrappedLines(c.header, c.width)));
  const pageWidth = widthOf(table.columns);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`
    + `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">`
    + `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`
    + `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${HEADER_ROW}" topLeftCell="A${HEADER_ROW + 1}" activePane="bottomLeft" state="frozen"/>`
    + `<selection pane="bottomLeft" activeCell="A${HEADER_ROW + 1}" sqref="A${HEADER_ROW + 1}"/></sheetView></sheetViews>`
    + `<sheetFormatPr defaultRowHeight="18" customHeight="1"/><cols>${cols}</cols><sheetData>`
    + `<row r="1" ht="30" customHeight="1">${inlineString('A1', TITLE_STYLE, table.title)}</row>`
    + fullWidthRow(2, SUBTITLE_STYLE, table.subtitle, pageWidth)
    + `<row r="${HEADER_ROW}" ht="${rowHeight(headerLines)}" customHeight="1">${header}</row>`;
}

function sheetEnd(merged: readonly string[], filterRange: string): string {
  return `</sheetData><autoFilter ref="${filterRange}"/>`
    + `<mergeCells count="${merged.length}">${merged.map((ref) => `<mergeCell ref="${ref}"/>`).join('')}</mergeCells>`
    + `<printOptions horizontalCentered="1"/>`
    + `<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>`
    + `<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>`
    + `<headerFooter><oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter></worksheet>`;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
function safeSheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}

function workbookXml(sheetName: string, filterRange: string): string {
  const name = safeSheetName(sheetName);
  const quoted = `'${name.replace(/'/g, "''")}'`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n`
    + `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews>`
    + `<sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets><definedNames>`
    + `<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">${xmlText(`${quoted}!${filterRange}`)}</definedName>`
    + `<definedName name="_xlnm.Print_Titles" localSheetId="0">${xmlText(`${quoted}!$${HEADER_ROW}:$${HEADER_ROW}`)}</definedName>`
    + `</definedNames></workbook>`;
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`
  + `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`
  + `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`
  + `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
  + `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>`
  + `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;

/** Number formats per column format: text (@), #,##0, 0.00%, yyyy-mm-dd, 0. */
const NUMBER_FORMAT_IDS: Record<ColumnFormat, number> = { text: 49, integer: 3, percent: 10, date: 164, serial: 1 };
/** Per row kind: font (0 plain, 2 bold), fill (0 none, 3 grey, 4 green) and indent of text. */
const KIND_LOOK: Record<RowKind, { font: number; fill: number; indent: number }> = {
  data: { font: 0, fill: 0, indent: 0 }, subtotal: { font: 2, fill: 3, indent: 0 }, total: { font: 2, fill: 4, indent: 0 }, detail: { font: 3, fill: 0, indent: 2 },
};

function bodyStyles(): string {
  return KINDS.flatMap((kind) => FORMATS.map((format) => {
    const look = KIND_LOOK[kind];
    const horizontal = format === 'text' ? 'left' : format === 'date' || format === 'serial' ? 'center' : 'right';
    const indent = format === 'text' && look.indent ? ` indent="${look.indent}"` : '';
    return `<xf numFmtId="${NUMBER_FORMAT_IDS[format]}" fontId="${look.font}" fillId="${look.fill}" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">`
      + `<alignment horizontal="${horizontal}" vertical="center"${indent}${format === 'text' ? ' wrapText="1"' : ''}/></xf>`;
  })).join('');
}

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>`
  + `<fonts count="4"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="16"/><name val="黑体"/><charset val="134"/></font>`
  + `<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><sz val="10"/><color rgb="FF595959"/><name val="宋体"/><charset val="134"/></font></fonts>`
  + `<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`
  + `<fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill>`
  + `<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>`
  + `<fill><patternFill patternType="solid"><fgColor rgb="FFE2EFDA"/><bgColor indexed="64"/></patternFill></fill></fills>`
  + `<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>`
  + `<border><left style="thin"><color rgb="FF808080"/></left><right style="thin"><color rgb="FF808080"/></right><top style="thin"><color rgb="FF808080"/></top><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border></borders>`
  + `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`
  + `<cellXfs count="${FOOTER_STYLE + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`
  + `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>`
  + `<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="left" vertical="center" wrapText="1"/></xf>`
  + `<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>`
  + `${bodyStyles()}<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="left" vertical="center" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

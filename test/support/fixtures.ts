import * as ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const S6_HEADER = '社区代码,社区名称,街道,区,户数,常住人口,少数民族人口,网格数,楼栋数,社区书记,专职社区工作者数';

export const XINGKANG = '150105001019,兴康社区居委会,人民路街道,赛罕区,2758,7061,1735,5,63,云文,7';
export const HEXI = '150102004008,河西社区居委会,东街街道,新城区,3534,8802,1256,3,56,常美荣,8';

/** Writes a civil-affairs basics file (S6: UTF-8 with BOM) into a fresh temporary folder. */
export function writeS6(lines: string[], name = '社区基本情况统计表.csv', header = S6_HEADER): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-s6-')), name);
  writeFileSync(path, `\uFEFF${[header, ...lines].join('\r\n')}\r\n`);
  return path;
}

export function writeBytes(bytes: Buffer, name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-file-')), name);
  writeFileSync(path, bytes);
  return path;
}

/** A row of a test workbook: text, numbers and empty cells. */
export type WorkbookRow = (string | number | null)[];

/** Writes an XLSX workbook of the given sheets (name and rows, in order) into a fresh temporary folder. */
export async function writeWorkbook(name: string, sheets: [string, WorkbookRow[]][]): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'qc-workbook-')), name);
  const workbook = new ExcelJS.Workbook();
  for (const [sheetName, rows] of sheets) {
    const sheet = workbook.addWorksheet(sheetName);
    for (const row of rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(path);
  return path;
}

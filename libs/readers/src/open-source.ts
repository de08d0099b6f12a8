import { promises as fsp } from 'fs';
import { CsvOptions, CsvReader } from './csv-reader';
import { SourceError } from './errors';
import { displayFileName } from './file-name';
import { JsonReader } from './json-reader';
import { ReaderLimits } from './types';
import { XlsReader } from './xls-reader';
import { XlsxReader } from './xlsx-reader';

export type SourceFormat = 'xlsx' | 'xls' | 'json' | 'csv';
export type SourceReader = CsvReader | XlsxReader | XlsReader | JsonReader;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** An OpenDocument file stores its media type first, uncompressed, as the entry `mimetype`. */
const ODS_MIMETYPE = 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet';
/** The start of an HTML page or an XML document: no CSV starts so. */
const MARKUP = /^<(\?xml|!doctype html|html|table|head|meta)\b/i;

/**
 * Decide the format from the first bytes, never from the file name: a zip (PK) is XLSX, an OLE2
 * compound file (D0 CF 11 E0) a legacy .xls, `[` or `{` after an optional UTF-8 BOM and
 * whitespace is JSON, anything else is CSV. OpenDocument spreadsheets, web pages and XML are refused.
 */
export async function sniffFormat(path: string): Promise<SourceFormat> {
  const file = displayFileName(path);
  let head: Buffer;
  try {
    const fh = await fsp.open(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    throw new SourceError('not-found', file, `file ${file} cannot be read (not found)`);
  }
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) {
    if (head.subarray(0, 256).toString('latin1').includes(ODS_MIMETYPE)) {
      throw new SourceError('unsupported', file, `file ${file} is an OpenDocument spreadsheet: save it as .xlsx`);
    }
    return 'xlsx';
  }
  if (head.length >= 8 && OLE2.every((b, i) => head[i] === b)) return 'xls';
  let i = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i < head.length && (head[i] === 0x5b || head[i] === 0x7b)) return 'json';
  if (MARKUP.test(head.subarray(i, i + 64).toString('latin1'))) {
    throw new SourceError(
      'unsupported',
      file,
      `file ${file} is a web page or an XML spreadsheet (what some systems export under an .xls name), not a workbook; open it in Excel and save it as .xlsx`,
    );
  }
  return 'csv';
}

/** Open a legacy export with the reader its content calls for. */
export async function openSource(path: string, limits?: Partial<ReaderLimits>, csvOptions?: CsvOptions): Promise<SourceReader> {
  const format = await sniffFormat(path);
  switch (format) {
    case 'xlsx':
      return new XlsxReader(path, limits);
    case 'xls':
      return new XlsReader(path, limits);
    case 'json':
      return new JsonReader(path, limits);
    default:
      return new CsvReader(path, limits, csvOptions);
  }
}

import * as XLSX from '@e965/xlsx';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { crc32, deflateRawSync } from 'zlib';
import { readSmallEntry, readZipDirectory, ZipEntry } from '../zip-directory';

/** A temporary folder for generated fixture files, removed by `cleanup()`. */
export function tempDir(prefix = 'qc-readers-'): { dir: string; file: (name: string, data: string | Buffer) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ZipSpec {
  name: string;
  data: Buffer;
  /** Store instead of deflate. */
  store?: boolean;
  /** Lie about the uncompressed size in both headers. */
  claimSize?: number;
  /** `data` is already raw-deflated content with this CRC and inflated size (a zip bomb built as a stream). */
  deflated?: { crc: number; size: number };
}

/** Build a minimal zip archive by hand (for hostile-archive fixtures); sizes below 4 GB. */
export function buildZip(specs: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const s of specs) {
    const name = Buffer.from(s.name, 'utf8');
    const body = s.deflated || s.store ? s.data : deflateRawSync(s.data);
    const crc = s.deflated?.crc ?? crc32(s.data);
    const size = s.claimSize ?? s.deflated?.size ?? s.data.length;
    const method = s.store ? 0 : 8;
    const loc = Buffer.alloc(30);
    loc.writeUInt32LE(0x04034b50, 0);
    loc.writeUInt16LE(20, 4);
    loc.writeUInt16LE(0x0800, 6); // UTF-8 names
    loc.writeUInt16LE(method, 8);
    loc.writeUInt32LE(crc, 14);
    loc.writeUInt32LE(body.length, 18);
    loc.writeUInt32LE(size, 22);
    loc.writeUInt16LE(name.length, 26);
    locals.push(loc, name, body);
    const cen = Buffer.alloc(46);
    cen.writeUInt32LE(0x02014b50, 0);
    cen.writeUInt16LE(20, 4);
    cen.writeUInt16LE(20, 6);
    cen.writeUInt16LE(0x0800, 8);
    cen.writeUInt16LE(method, 10);
    cen.writeUInt32LE(crc, 16);
    cen.writeUInt32LE(body.length, 20);
    cen.writeUInt32LE(size, 24);
    cen.writeUInt16LE(name.length, 28);
    cen.writeUInt32LE(offset, 42);
    centrals.push(cen, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(specs.length, 8);
  eocd.writeUInt16LE(specs.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** Drain an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** One sheet of a hand-written workbook: its name, the XML inside <sheetData>, and the rest. */
export interface SheetSpec {
  name: string;
  rows: string;
  state?: 'hidden' | 'veryHidden';
  /** XML after </sheetData> (e.g. <mergeCells>). */
  after?: string;
  /** Archive path of the part (default xl/worksheets/sheetN.xml). */
  part?: string;
  /** The whole part, written as is instead of around `rows`. */
  xml?: string;
  /** A chart sheet (xl/chartsheets/…), which has no cells. */
  chart?: boolean;
}

/**
 * The parts of a minimal XLSX workbook written by hand (for layouts exceljs never writes), in the
 * order given by `order` (default: sheets first, workbook.xml last, as LibreOffice stores them).
 */
export function handWrittenWorkbook(sheets: SheetSpec[], extra: ZipSpec[] = [], order?: (names: string[]) => string[]): Buffer {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts = sheets.map((s, i) => s.part ?? `xl/${s.chart ? 'chartsheets' : 'worksheets'}/sheet${i + 1}.xml`);
  const specs: ZipSpec[] = [
    ...sheets.map((s, i) => ({
      name: parts[i],
      data: Buffer.from(s.xml ?? `<?xml version="1.0" encoding="UTF-8"?><worksheet ${ns}><sheetData>${s.rows}</sheetData>${s.after ?? ''}</worksheet>`),
    })),
    ...extra,
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from(
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${parts
          .map((p, i) => `<Relationship Id="rId${i + 1}" Type="${rel}/${sheets[i].chart ? 'chartsheet' : 'worksheet'}" Target="/${p}"/>`)
          .join('')}</Relationships>`,
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: Buffer.from(
        `<workbook ${ns}><sheets>${sheets
          .map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
          .join('')}</sheets></workbook>`,
      ),
    },
  ];
  if (!order) return buildZip(specs);
  const byName = new Map(specs.map((s) => [s.name, s]));
  return buildZip(order(specs.map((s) => s.name)).map((n) => byName.get(n) as ZipSpec));
}

/** The entries of a zip file, stored again in the order `order` gives (to mimic other writers). */
export async function reorderZip(path: string, order: (names: string[]) => string[]): Promise<Buffer> {
  const dir = await readZipDirectory(path, { maxEntries: 10_000 });
  const byName = new Map(dir.entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
  const specs: ZipSpec[] = [];
  for (const name of order([...byName.keys()])) specs.push({ name, data: await readSmallEntry(path, byName.get(name) as ZipEntry, 1 << 30) });
  return buildZip(specs);
}

/** One sheet of a legacy .xls fixture: its rows (Dates become date-formatted cells) and merged ranges. */
export interface XlsSheetSpec {
  name: string;
  rows: unknown[][];
  /** A1 ranges, e.g. 'A3:A12'. */
  merges?: string[];
  hidden?: boolean;
}

/** An Excel 97-2003 workbook (BIFF8 in an OLE2 compound file), as SheetJS writes it. */
export function xlsWorkbook(sheets: XlsSheetSpec[]): Buffer {
  const book = XLSX.utils.book_new();
  for (const spec of sheets) {
    const sheet = XLSX.utils.aoa_to_sheet(spec.rows, { cellDates: true });
    if (spec.merges) sheet['!merges'] = spec.merges.map((ref) => XLSX.utils.decode_range(ref));
    XLSX.utils.book_append_sheet(book, sheet, spec.name);
  }
  book.Workbook = { Sheets: sheets.map((s) => ({ name: s.name, Hidden: s.hidden ? 1 : 0 })) };
  return XLSX.write(book, { bookType: 'biff8', type: 'buffer' }) as Buffer;
}

/** An OLE2 compound file holding these streams (a password-protected .xlsx, a Word document …). */
export function oleContainer(streams: Record<string, Buffer>): Buffer {
  const container = XLSX.CFB.utils.cfb_new();
  for (const [name, data] of Object.entries(streams)) XLSX.CFB.utils.cfb_add(container, `/${name}`, data);
  return XLSX.CFB.write(container, { type: 'buffer' }) as Buffer;
}

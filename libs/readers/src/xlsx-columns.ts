import { createReadStream } from 'fs';
import { Readable } from 'stream';
import { createInflateRaw } from 'zlib';
import { entryDataOffset, ZipEntry } from './zip-directory';

/** A cell placed past the column limit: the row it is in and its column (1 = A). */
export interface CellPastLimit { row: number; column: number }

/** Row and cell start tags, any namespace prefix, with their attributes. */
const TAG = /<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^>]*)>/g;
/** Longer than any row or cell tag a workbook writer produces. */
const MAX_TAG_CHARS = 64 * 1024;
const REF = /\br\s*=\s*["']([A-Za-z]*)(\d*)["']/;

function columnOfLetters(letters: string): number {
  let column = 0;
  for (const letter of letters.toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column;
}

function inflated(path: string, entry: ZipEntry, start: number): Readable {
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  return entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
}

/**
 * The first cell of a worksheet part that lies beyond `maxColumns`, placing each cell as Excel does:
 * by its reference, or right after the previous cell of its row when it has none. exceljs cannot
 * read such a sheet at all (a reference past XFD, or none), and fails with a text of its own; this
 * scan says what is wrong with it. Streams the part; null when every cell is within the limit.
 */
export async function firstCellPastColumns(path: string, entry: ZipEntry, maxColumns: number): Promise<CellPastLimit | null> {
  const source = inflated(path, entry, await entryDataOffset(path, entry));
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let row = 0;
  let column = 0;
  try {
    for await (const chunk of source) {
      const text = pending + decoder.decode(chunk as Buffer, { stream: true });
      let consumed = 0;
      for (const tag of text.matchAll(TAG)) {
        consumed = tag.index! + tag[0].length;
        const [, letters, digits] = REF.exec(tag[2]) ?? [];
        if (tag[1] === 'row') {
          row = digits ? Number(digits) : row + 1;
          column = 0;
          continue;
        }
        column = letters ? columnOfLetters(letters) : column + 1;
        if (column > maxColumns) return { row, column };
      }
      // A tag cut by the chunk's end is scanned with the next chunk (unless it is no tag this scan looks for).
      const open = text.lastIndexOf('<');
      pending = open >= consumed && open > text.lastIndexOf('>') && text.length - open <= MAX_TAG_CHARS ? text.slice(open) : '';
    }
    return null;
  } finally {
    source.destroy();
  }
}

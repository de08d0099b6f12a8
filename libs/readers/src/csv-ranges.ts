import { promises as fsp } from 'fs';
import { Delimiter } from './delimiter';
import { TextEncoding } from './encoding';

/** A slice of a CSV file that begins and ends on a row boundary, so that it can be parsed on its own. */
export interface CsvRange {
  /** Byte offset of the range's first row (after a byte order mark for the first range). */
  start: number;
  /** Byte offset just past the range's last row terminator (the file's size for the last range). */
  end: number;
  /** Physical line (1-based) the range's first row starts on, as a reader of the whole file counts lines. */
  firstLine: number;
  /** Rows in the range, empty lines included: an upper bound of the records a reader yields from it. */
  rows: number;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const READ_BYTES = 1 << 20;

/**
 * Whether a byte scanner finds the same row boundaries as the decoding reader. In UTF-8 every byte
 * of a multi-byte character is 0x80 or above; in GB18030 a trailing byte is 0x30–0x39, 0x40–0x7E or
 * 0x80–0xFE. So '"' (0x22), ',' (0x2C), ';' (0x3B), tab, CR and LF never occur inside a character in
 * either encoding, but '|' (0x7C) may be the second byte of a GB18030 character.
 */
export function byteScannable(encoding: TextEncoding, delimiter: Delimiter): boolean {
  return encoding === 'utf8' || delimiter !== '|';
}

/**
 * Finds row boundaries in CSV bytes fed in order, quoting as the reader's parser (csv-parse with
 * relax_quotes) does: a '"' opens a quoted cell only at the start of a cell; inside one, '""' is a
 * quote and '"' ends the quoting (before a delimiter or line end, or, relaxed, before anything
 * else); CRLF, LF and a lone CR end a row outside quotes. Lines are counted as the reader counts
 * them (CRLF, LF and a lone CR each end one physical line, quoted or not).
 */
export class CsvRowScanner {
  private readonly delimiter: number;
  private offset: number;
  private quoting = false;
  private cellStart = true;
  /** A '"' inside quotes whose meaning the next byte decides ('""' or the end of the quoting). */
  private quotePending = false;
  /** A CR outside quotes: a row end, at the CR alone or after the LF that follows it. */
  private crPending = false;
  private previousCr = false;
  private linesEnded = 0;
  private rowHasBytes = false;

  /** `onRowEnd(offset, linesBefore)`: a row ends before `offset`, and `linesBefore` lines end before it. */
  constructor(delimiter: Delimiter, startOffset: number, private readonly onRowEnd: (offset: number, linesBefore: number) => void) {
    this.delimiter = delimiter.charCodeAt(0);
    this.offset = startOffset;
  }

  scan(chunk: Uint8Array): void {
    // The state in locals while the loop runs: this loop sees every byte of a large file.
    const delimiter = this.delimiter;
    let { offset, quoting, cellStart, quotePending, crPending, previousCr, linesEnded, rowHasBytes } = this;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i];
      // Lines end at CR, and at LF unless it follows a CR, wherever they are.
      const lineEnd = b === CR || (b === LF && !previousCr);
      previousCr = b === CR;
      if (quotePending) {
        quotePending = false;
        if (b === QUOTE) {
          if (lineEnd) linesEnded++;
          continue;
        }
        quoting = false;
        cellStart = false;
      }
      if (crPending) {
        crPending = false;
        if (b === LF) {
          cellStart = true;
          rowHasBytes = false;
          this.onRowEnd(offset + 1, linesEnded);
          continue;
        }
        cellStart = true;
        rowHasBytes = false;
        this.onRowEnd(offset, linesEnded);
      }
      if (lineEnd) linesEnded++;
      rowHasBytes = true;
      if (quoting) {
        if (b === QUOTE) quotePending = true;
      } else if (b === CR) {
        crPending = true;
      } else if (b === LF) {
        cellStart = true;
        rowHasBytes = false;
        this.onRowEnd(offset + 1, linesEnded);
      } else if (b === QUOTE && cellStart) {
        quoting = true;
        cellStart = false;
      } else {
        cellStart = b === delimiter;
      }
    }
    Object.assign(this, { offset, quoting, cellStart, quotePending, crPending, previousCr, linesEnded, rowHasBytes });
  }

  /** The end of the bytes: a row left open (no terminator, or a quote never closed) ends here. */
  finish(): void {
    if (this.crPending) {
      this.crPending = false;
      this.rowEnd(this.offset);
    } else if (this.rowHasBytes) {
      this.rowEnd(this.offset);
    }
  }

  private rowEnd(offset: number): void {
    this.cellStart = true;
    this.rowHasBytes = false;
    this.onRowEnd(offset, this.linesEnded);
  }
}

/**
 * Cuts a CSV file into ranges of about `targetBytes` each, every cut right after a row terminator
 * outside quotes, so that a row (a quoted cell with line breaks included) is never split. One pass
 * over the bytes, without decoding them (see byteScannable for why this is safe).
 */
export async function splitCsvRanges(path: string, options: { delimiter: Delimiter; startOffset: number; targetBytes: number }): Promise<CsvRange[]> {
  const ranges: CsvRange[] = [];
  let current: CsvRange = { start: options.startOffset, end: options.startOffset, firstLine: 1, rows: 0 };
  const scanner = new CsvRowScanner(options.delimiter, options.startOffset, (offset, linesBefore) => {
    current.rows++;
    current.end = offset;
    if (offset - current.start >= options.targetBytes) {
      ranges.push(current);
      current = { start: offset, end: offset, firstLine: linesBefore + 1, rows: 0 };
    }
  });
  const file = await fsp.open(path, 'r');
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    for (let position = options.startOffset; ; ) {
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      scanner.scan(buffer.subarray(0, bytesRead));
      position += bytesRead;
    }
  } finally {
    await file.close();
  }
  scanner.finish();
  if (current.rows > 0) ranges.push(current);
  return ranges;
}

import { createReadStream, promises as fsp, ReadStream } from 'fs';
import { Transform, TransformCallback, pipeline } from 'stream';
import * as iconv from 'iconv-lite';
import { parse as csvParse } from 'csv-parse';
import { Delimiter, detectDelimiter } from './delimiter';
import { detectBinary, detectBom, EncodingGuess, guessEncoding } from './encoding';
import { describeCause, isProgrammingError, placeOf, ReadFault, SourceError } from './errors';
import { sizeOfSource } from './file-size';
import { displayFileName } from './file-name';
import { LineIndex } from './line-index';
import { CellValue, RawRow, ReaderLimits, resolveLimits, SheetInfo, TabularReader } from './types';

/** Bytes read up front to guess encoding and delimiter. */
const SAMPLE_BYTES = 1024 * 1024;
/** Records held back before the first is yielded, to judge whether the file decodes at all. */
const PROBE_RECORDS = 200;
/** Above this share of damaged records (U+FFFD after decoding) the file is refused. */
const MAX_DAMAGED_SHARE = 0.5;
const REPLACEMENT = '\uFFFD';

export interface CsvOptions {
  /** Force an encoding instead of detecting it. */
  encoding?: 'utf8' | 'gb18030';
  /** Force a delimiter instead of detecting it. */
  delimiter?: Delimiter;
  /**
   * Read only these bytes of the file (a CsvRange: row boundaries, the line its first row is on).
   * Encoding and delimiter are still those of the whole file. Whether the file decodes is judged on
   * the first range's first records only: the whole file's verdict is its caller's, from the ranges' stats.
   */
  range?: { start: number; end: number; firstLine: number };
}

export interface CsvProbe {
  encoding: 'utf8' | 'gb18030';
  encodingReason: EncodingGuess['reason'] | 'forced';
  bom: boolean;
  delimiter: Delimiter;
  bytes: number;
}

export interface CsvStats {
  records: number;
  /** Records with at least one undecodable byte sequence (U+FFFD after decoding). */
  damagedRecords: number;
  replacementChars: number;
  firstDamagedLine: number | null;
  /** Start lines of damaged records (at most 100 kept). */
  damagedLines: number[];
}

interface ParsedRecord {
  record: string[];
  info: { bytes_records: number; bytes: number };
}

/** Converts decoded text into UTF-8 buffers for csv-parse while indexing line ends. */
class LineIndexingTransform extends Transform {
  constructor(private readonly index: LineIndex) {
    super({ readableObjectMode: false, writableObjectMode: false, decodeStrings: false });
  }
  override _transform(chunk: string | Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.index.scan(buf);
    cb(null, buf);
  }
}

/**
 * Streaming reader for dirty CSV exports: detects encoding (UTF-8 with/without BOM, else GB18030)
 * and delimiter, tolerates ragged rows and stray quotes, and reports every record with the
 * physical line it starts on.
 */
export class CsvReader implements TabularReader {
  readonly kind = 'csv' as const;
  readonly path: string;
  private readonly limits: ReaderLimits;
  private readonly options: CsvOptions;
  private probed?: CsvProbe;
  /** The file stream of the running rows() pass, and the byte order mark it starts after. */
  private reading?: { stream: ReadStream; skipped: number };
  private readonly counters: CsvStats = {
    records: 0,
    damagedRecords: 0,
    replacementChars: 0,
    firstDamagedLine: null,
    damagedLines: [],
  };

  constructor(path: string, limits?: Partial<ReaderLimits>, options: CsvOptions = {}) {
    this.path = path;
    this.limits = resolveLimits(limits);
    this.options = options;
  }

  /** How messages name the file (masked: file names can hold an ID number or a phone). */
  private get file(): string {
    return displayFileName(this.path);
  }

  /** The bytes this reader reads, when it reads one range of the file. */
  get range(): CsvOptions['range'] {
    return this.options.range;
  }

  /** Statistics of the last (or running) `rows()` pass. */
  get stats(): Readonly<CsvStats> {
    return this.counters;
  }

  async sheets(): Promise<SheetInfo[]> {
    return [{ name: null, index: 0, state: 'visible' }];
  }

  /** Look at the start of the file: refuse binary/UTF-16 data, guess encoding and delimiter. */
  async probe(): Promise<CsvProbe> {
    if (this.probed) return this.probed;
    const size = await sizeOfSource(this.path, this.file, 'file');
    if (size > this.limits.maxFileBytes) {
      throw new SourceError('too-large', this.file, `file ${this.file} is ${size} bytes, more than the limit of ${this.limits.maxFileBytes}`);
    }
    const fh = await fsp.open(this.path, 'r');
    let sample: Buffer;
    try {
      const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
    const bom = detectBom(sample);
    if (bom && bom !== 'utf8') {
      const label = bom.startsWith('utf16') ? 'UTF-16' : 'UTF-32';
      throw new SourceError(
        'encoding',
        this.file,
        `file ${this.file} is ${label} encoded (byte order mark ${bom}); re-save it as UTF-8 or GB18030 CSV`,
      );
    }
    const binary = detectBinary(sample);
    if (binary.binary) {
      throw new SourceError(
        'binary',
        this.file,
        `file ${this.file} is not a text CSV (binary data at byte ${binary.at})`,
        `byte ${binary.at}`,
      );
    }
    const atEof = sample.length >= size;
    const guess = guessEncoding(sample, atEof);
    const encoding = this.options.encoding ?? guess.encoding;
    const bomLength = bom === 'utf8' ? 3 : 0;
    const text = iconv.decode(sample.subarray(bomLength, Math.min(sample.length, 64 * 1024)), encoding);
    const delimiter = this.options.delimiter ?? detectDelimiter(text).delimiter;
    this.probed = {
      encoding,
      encodingReason: this.options.encoding ? 'forced' : guess.reason,
      bom: bomLength > 0,
      delimiter,
      bytes: size,
    };
    return this.probed;
  }

  [Symbol.asyncIterator](): AsyncGenerator<RawRow> {
    return this.rows();
  }

  bytesRead(): number {
    return this.reading ? this.reading.skipped + this.reading.stream.bytesRead : 0;
  }

  async *rows(): AsyncGenerator<RawRow> {
    const probe = await this.probe();
    const stats = this.counters;
    stats.records = 0;
    stats.damagedRecords = 0;
    stats.replacementChars = 0;
    stats.firstDamagedLine = null;
    stats.damagedLines = [];

    const range = this.options.range;
    const start = range?.start ?? (probe.bom ? 3 : 0);
    const index = new LineIndex(range?.firstLine ?? 1);
    const source = createReadStream(this.path, { start, end: range ? range.end - 1 : undefined });
    this.reading = { stream: source, skipped: start };
    // Only the first range holds the records a whole-file reader judges the encoding on before yielding.
    const judgedEarly = !range || range.start <= (probe.bom ? 3 : 0);
    const decoder = iconv.decodeStream(probe.encoding);
    const indexer = new LineIndexingTransform(index);
    const maxBytes = Math.max(1 << 20, this.limits.maxCellChars * 64);
    const parser = csvParse({
      delimiter: probe.delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
      max_record_size: maxBytes,
    });
    pipeline(source, decoder, indexer, parser, () => undefined);

    const held: RawRow[] = [];
    let judged = false;
    let prevEnd = 0;
    let startLine = 1;
    try {
      for await (const item of parser as AsyncIterable<ParsedRecord>) {
        startLine = index.lineAt(prevEnd);
        prevEnd = item.info.bytes_records;
        const rec = item.record;
        if (rec.length === 1 && rec[0] === '') continue; // empty line
        const row = this.toRow(rec, startLine);
        if (!judged) {
          held.push(row);
          if (held.length >= PROBE_RECORDS) {
            if (judgedEarly) this.judgeDecoding(probe, stats);
            judged = true;
            yield* held.splice(0);
          }
          continue;
        }
        yield row;
      }
    } catch (err) {
      throw this.wrapParseError(err, index.lineAt(prevEnd));
    } finally {
      source.destroy();
    }
    if (!range) this.judgeDecoding(probe, stats);
    if (held.length) yield* held.splice(0);
  }

  private toRow(rec: string[], line: number): RawRow {
    const stats = this.counters;
    stats.records++;
    if (stats.records > this.limits.maxRows) {
      throw new SourceError(
        'limit',
        this.file,
        `file ${this.file} has more than ${this.limits.maxRows} records (limit maxRows, at line ${line})`,
        String(line),
      );
    }
    if (rec.length > this.limits.maxColumns) {
      throw new SourceError(
        'limit',
        this.file,
        `file ${this.file} line ${line} has ${rec.length} cells, more than the limit of ${this.limits.maxColumns}`,
        String(line),
      );
    }
    let bad = 0;
    const cells: CellValue[] = new Array(rec.length);
    for (let i = 0; i < rec.length; i++) {
      const v = rec[i];
      if (v.length > this.limits.maxCellChars) {
        throw new SourceError(
          'limit',
          this.file,
          `file ${this.file} line ${line} column ${i + 1} has ${v.length} characters, more than the limit of ${this.limits.maxCellChars}`,
          String(line),
        );
      }
      if (v.includes(REPLACEMENT)) {
        for (const ch of v) if (ch === REPLACEMENT) bad++;
      }
      cells[i] = v === '' ? null : v;
    }
    if (bad > 0) {
      stats.damagedRecords++;
      stats.replacementChars += bad;
      if (stats.firstDamagedLine === null) stats.firstDamagedLine = line;
      if (stats.damagedLines.length < 100) stats.damagedLines.push(line);
    }
    return { sheet: null, ref: String(line), line, cells };
  }

  /**
   * Refuses a file mostly undecodable in its encoding, from the stats of a whole-file pass (or of
   * all ranges of the file added up).
   */
  judgeDecoding(probe: CsvProbe, s: Readonly<CsvStats>): void {
    if (s.records === 0 || s.damagedRecords === 0) return;
    if (s.damagedRecords / s.records > MAX_DAMAGED_SHARE) {
      const enc = probe.encoding === 'utf8' ? 'UTF-8' : 'GB18030';
      throw new SourceError(
        'encoding',
        this.file,
        `file ${this.file} is mostly undecodable as ${enc}: ${s.damagedRecords} of ${s.records} records contain invalid byte sequences (first at line ${s.firstDamagedLine})`,
        String(s.firstDamagedLine),
      );
    }
  }

  private wrapParseError(err: unknown, line: number): Error {
    if (err instanceof SourceError) return err;
    if (isProgrammingError(err)) return new ReadFault(this.file, placeOf(null, line), err);
    const code = (err as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return new SourceError(
        'invalid',
        this.file,
        `file ${this.file}: a quoted cell opened in the record starting at line ${line} is never closed`,
        String(line),
      );
    }
    if (code === 'CSV_MAX_RECORD_SIZE') {
      return new SourceError(
        'limit',
        this.file,
        `file ${this.file}: the record starting at line ${line} is too large (an unbalanced quote?)`,
        String(line),
      );
    }
    return new SourceError(
      'invalid',
      this.file,
      `file ${this.file}: cannot read CSV near line ${line}: ${describeCause(err)}`,
      String(line),
    );
  }
}

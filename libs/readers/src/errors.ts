export type SourceErrorCode =
  | 'not-found'
  | 'too-large'
  | 'binary'
  | 'encoding'
  | 'limit'
  | 'truncated'
  | 'hostile-archive'
  | 'invalid'
  | 'unsupported'
  /** A valid file that needs more memory to read than the worker has (not the file's fault: a failure, not a refusal). */
  | 'memory';

/**
 * A refusal or failure to read a source file. `message` is written for the person who supplied the
 * file (it names the file and, where known, the line/row) and never carries a stack trace of a
 * third-party library.
 */
export class SourceError extends Error {
  readonly code: SourceErrorCode;
  readonly file: string;
  readonly location?: string;

  constructor(code: SourceErrorCode, file: string, message: string, location?: string) {
    super(message);
    this.name = 'SourceError';
    this.code = code;
    this.file = file;
    this.location = location;
  }
}

export function describeCause(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0];
  return String(err);
}

/**
 * Errors that only a bug raises (in our code or in a library we call), never a property of the
 * input by itself: an XML or zip error says the file is damaged; a TypeError says the code is.
 */
export function isProgrammingError(err: unknown): err is Error {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError;
}

/**
 * A fault of our own while reading a file that is valid as far as the reader can tell: not the
 * file's fault, so never reported as a bad file. The import fails as retryable and the cause is
 * logged for us; the message names the place but carries nothing of the cause (it may quote data).
 */
export class ReadFault extends Error {
  constructor(
    readonly file: string,
    /** Where the reader was, e.g. `sheet 党员 near row 57`. */
    readonly place: string,
    readonly origin: Error,
  ) {
    super(`internal error reading ${file}, ${place}: a fault of the registry, not of the file (it is logged for the maintainers; importing the file again may succeed)`);
    this.name = 'ReadFault';
  }
}

/** `sheet X near row N`, or the line for a file without sheets; `before its first row` when nothing was read yet. */
export function placeOf(sheet: string | null | undefined, row: number | undefined): string {
  const near = row === undefined ? 'before its first row' : `near ${sheet === null ? 'line' : 'row'} ${row}`;
  return sheet ? `sheet ${sheet} ${near}` : near;
}

export type SourceErrorCode =
  | 'not-found'
  | 'too-large'
  | 'binary'
  | 'encoding'
  | 'limit'
  | 'truncated'
  | 'hostile-archive'
  | 'invalid'
  | 'unsupported';

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

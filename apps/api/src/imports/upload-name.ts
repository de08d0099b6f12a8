import { extname } from 'node:path';

/** Well under the 255 bytes most file systems allow, leaving room for a numbered copy. */
const MAX_NAME_BYTES = 200;
const MAX_EXTENSION_CHARS = 16;

/** C0/C1 controls, zero-width characters and bidirectional overrides (which can disguise an extension). */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** Characters Windows reserves, should the upload folder ever be shared with it. */
const RESERVED = /[<>:"|?*]/g;

/** The longest start of text that fits in maxBytes of UTF-8, never splitting a character. */
function fitUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * A client-supplied file name made safe to store and show: its last path segment, without control
 * or invisible characters, reserved characters or leading dots (so no `..`, no hidden file), short
 * enough for any file system, extension kept. Chinese and other letters are kept as they are.
 */
export function sanitizeUploadName(supplied: string | undefined): string {
  const lastSegment = (supplied ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment.replace(INVISIBLE, '').replace(RESERVED, '_').replace(/^[\s.]+/, '').trimEnd();
  const extension = extname(cleaned).length <= MAX_EXTENSION_CHARS ? extname(cleaned) : '';
  const stem = cleaned.slice(0, cleaned.length - extension.length);
  return fitUtf8(stem, MAX_NAME_BYTES - Buffer.byteLength(extension)) + extension || 'upload';
}

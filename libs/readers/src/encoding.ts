/** Text encodings the CSV reader accepts. */
export type TextEncoding = 'utf8' | 'gb18030';

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes to skip at the start (a UTF-8 BOM). */
  bomLength: number;
  /** How the guess was made, for logs. */
  reason: 'utf8-bom' | 'valid-utf8' | 'ascii' | 'fallback-gb18030';
}

export type BomKind = 'utf8' | 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be' | null;

export function detectBom(buf: Uint8Array): BomKind {
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xfe && buf[2] === 0 && buf[3] === 0) return 'utf32le';
  if (buf.length >= 4 && buf[0] === 0 && buf[1] === 0 && buf[2] === 0xfe && buf[3] === 0xff) return 'utf32be';
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf8';
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return 'utf16le';
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return 'utf16be';
  return null;
}

export interface Utf8Check {
  valid: boolean;
  /** Only ASCII bytes were seen. */
  ascii: boolean;
  /** Offset of the first invalid byte when not valid. */
  invalidAt: number;
}

/**
 * Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF).
 * When `truncated` is true the buffer is a prefix of a longer file: a sequence that is cut by the
 * end of the buffer but valid so far is accepted, so a character split at the sample boundary is
 * not mistaken for invalid data.
 */
export function checkUtf8(buf: Uint8Array, truncated: boolean): Utf8Check {
  let ascii = true;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    ascii = false;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // > U+10FFFF
    } else {
      return { valid: false, ascii: false, invalidAt: i };
    }
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) {
        // sequence cut by the end of the sample
        return truncated ? { valid: true, ascii, invalidAt: -1 } : { valid: false, ascii, invalidAt: i };
      }
      const c = buf[i + k];
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return { valid: false, ascii: false, invalidAt: i };
    }
    i += need + 1;
  }
  return { valid: true, ascii, invalidAt: -1 };
}

/**
 * Guess the encoding of a text sample taken from the start of a file.
 * @param sample first bytes of the file
 * @param atEof true when the sample is the whole file
 */
export function guessEncoding(sample: Uint8Array, atEof: boolean): EncodingGuess {
  const bom = detectBom(sample);
  if (bom === 'utf8') return { encoding: 'utf8', bomLength: 3, reason: 'utf8-bom' };
  const check = checkUtf8(sample, !atEof);
  if (check.valid) return { encoding: 'utf8', bomLength: 0, reason: check.ascii ? 'ascii' : 'valid-utf8' };
  return { encoding: 'gb18030', bomLength: 0, reason: 'fallback-gb18030' };
}

export interface BinaryCheck {
  binary: boolean;
  /** Offset of the first byte that marks the data as binary, -1 when text. */
  at: number;
}

/**
 * Text files do not contain NUL bytes, and control characters other than tab, CR, LF, FF and the
 * DOS end-of-file marker are rare. Looks at the first `window` bytes.
 */
export function detectBinary(sample: Uint8Array, window = 1024, maxControlRatio = 0.1): BinaryCheck {
  const n = Math.min(sample.length, window);
  let controls = 0;
  let firstControl = -1;
  for (let i = 0; i < n; i++) {
    const b = sample[i];
    if (b === 0) return { binary: true, at: i };
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) || b === 0x7f) {
      controls++;
      if (firstControl < 0) firstControl = i;
    }
  }
  if (n > 0 && controls / n > maxControlRatio) return { binary: true, at: firstControl };
  return { binary: false, at: -1 };
}

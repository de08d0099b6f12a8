import { streamEntry, ZipEntry } from './zip-directory';

/** The part exceljs reads whole into memory (every string of the workbook) before it streams a sheet. */
export const SHARED_STRINGS_PART = 'xl/sharedStrings.xml';

export interface SharedStringsLimits {
  maxSharedStrings: number;
  maxSharedStringChars: number;
}

/** What the shared-strings part holds, as far as it was counted. */
export interface SharedStringsCount {
  strings: number;
  chars: number;
  /** Inflated bytes counted: the whole part, or where counting stopped at a limit. */
  bytes: number;
}

/**
 * Heap that exceljs's table takes, from measurements under Node 20: about 48 bytes per string and
 * up to two bytes per character (one for Latin text, two for Chinese).
 */
const BYTES_PER_STRING = 48;
const BYTES_PER_CHAR = 2;
/** The smallest a string can be in the part: `<si/>`. */
const MIN_STRING_BYTES = 5;

export function sharedStringsMemory(count: Pick<SharedStringsCount, 'strings' | 'chars'>): number {
  return count.strings * BYTES_PER_STRING + count.chars * BYTES_PER_CHAR;
}

/** Whether a part of this declared size could hold more strings or characters than the limits: if not, it need not be counted. */
export function mayExceed(declaredBytes: number, limits: SharedStringsLimits): boolean {
  return declaredBytes > limits.maxSharedStringChars || declaredBytes / MIN_STRING_BYTES > limits.maxSharedStrings;
}

const LT = 0x3c;
const GT = 0x3e;
const S = 0x73;
const I = 0x69;
const SLASH = 0x2f;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/**
 * Counts the strings (`<si>` elements) and the characters of text of a shared-strings part while
 * inflating it, keeping nothing, and stops as soon as either limit is passed. Characters are counted
 * as UTF-8 sequences outside tags (entities count once per byte: a slight overcount).
 */
export async function countSharedStrings(path: string, entry: ZipEntry, limits: SharedStringsLimits): Promise<SharedStringsCount> {
  const count: SharedStringsCount = { strings: 0, chars: 0, bytes: 0 };
  let inTag = false;
  /** The bytes of the current tag seen so far (up to 3: enough to tell `<si>`, `<si ` or `<si/>`). */
  let headLength = 0;
  let head0 = 0;
  let head1 = 0;
  await streamEntry(path, entry, (chunk) => {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inTag) {
        if (b === GT) {
          inTag = false;
          if (headLength === 2 && head0 === S && head1 === I) count.strings++;
        } else if (headLength < 2) {
          if (headLength === 0) head0 = b;
          else head1 = b;
          headLength++;
        } else if (headLength === 2) {
          if (head0 === S && head1 === I && (isSpace(b) || b === SLASH)) count.strings++;
          // Counted (or not) once: later bytes of the tag do not matter.
          headLength = 3;
        }
      } else if (b === LT) {
        inTag = true;
        headLength = 0;
      } else if ((b & 0xc0) !== 0x80) {
        count.chars++;
      }
    }
    count.bytes += chunk.length;
    return count.strings > limits.maxSharedStrings || count.chars > limits.maxSharedStringChars;
  });
  return count;
}

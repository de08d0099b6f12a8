import { createReadStream, ReadStream } from 'fs';
import { SourceError } from './errors';
import { sizeOfSource } from './file-size';
import { displayFileName } from './file-name';
import { ReaderLimits, resolveLimits, SheetInfo } from './types';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One element of the top-level array, with its JSON pointer (`/3`). */
export interface JsonElement {
  ref: string;
  index: number;
  /** Line (1-based) the element starts on. */
  line: number;
  value: JsonValue;
}

/** Escape one reference token of a JSON pointer (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Build a JSON pointer below `base`: `jsonPointer('/3', 'members', 7)` → `/3/members/7`. */
export function jsonPointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => '/' + escapePointerToken(t)).join('');
}

const WS = new Set([' ', '\t', '\n', '\r']);
/** Property names tried, in order, when the top level is an object wrapping the array. */
const WRAPPER_KEYS = ['data', 'list', 'rows', 'records', 'items', 'result', 'orgs', 'organizations'];

type State = 'start' | 'before' | 'element' | 'after' | 'end' | 'object';

/**
 * Streaming reader for a JSON export that is one array of objects. A small scanner splits the
 * top-level array into elements (tracking strings, escapes and nesting depth, so over-deep input
 * is refused before any recursive parsing happens); each element is then parsed on its own, so
 * the whole file is never held in memory. A top-level object is accepted too (parsed whole within
 * the element size limit); its array property is then streamed as `/key/i`.
 */
export class JsonReader implements AsyncIterable<JsonElement> {
  readonly kind = 'json' as const;
  readonly path: string;
  private readonly limits: ReaderLimits;
  private stream?: ReadStream;

  constructor(path: string, limits?: Partial<ReaderLimits>) {
    this.path = path;
    this.limits = resolveLimits(limits);
  }

  /** How messages name the file (masked: file names can hold an ID number or a phone). */
  private get file(): string {
    return displayFileName(this.path);
  }

  async sheets(): Promise<SheetInfo[]> {
    return [{ name: null, index: 0, state: 'visible' }];
  }

  [Symbol.asyncIterator](): AsyncGenerator<JsonElement> {
    return this.elements();
  }

  /** Bytes of the file read so far by elements(). */
  bytesRead(): number {
    return this.stream?.bytesRead ?? 0;
  }

  private error(message: string, line: number): SourceError {
    return new SourceError('invalid', this.file, `file ${this.file} line ${line}: ${message}`, String(line));
  }

  async *elements(): AsyncGenerator<JsonElement> {
    const L = this.limits;
    const size = await sizeOfSource(this.path, this.file, 'file');
    if (size > L.maxFileBytes) {
      throw new SourceError('too-large', this.file, `file ${this.file} is ${size} bytes, more than the limit of ${L.maxFileBytes}`);
    }
    const stream = createReadStream(this.path, { encoding: 'utf8', highWaterMark: 64 * 1024 });
    this.stream = stream;
    let state: State = 'start';
    let line = 1;
    let first = true;
    let index = 0;
    // element scanning
    let buf = '';
    let depth = 0;
    let inString = false;
    let escaped = false;
    let elementLine = 1;
    let topLevelObject = false;
    try {
      for await (const chunkRaw of stream as AsyncIterable<string>) {
        let chunk = chunkRaw;
        if (first) {
          first = false;
          if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        }
        const done: JsonElement[] = [];
        // start of the element text inside this chunk (an element may continue from the last chunk)
        let segStart = state === 'element' || state === 'object' ? 0 : -1;
        const finishElement = (endExclusive: number) => {
          if (segStart >= 0) buf += chunk.slice(segStart, endExclusive);
          segStart = -1;
          let value: JsonValue;
          try {
            value = JSON.parse(buf) as JsonValue;
          } catch (e) {
            throw this.error(`element ${index} is not valid JSON (${(e as Error).message})`, elementLine);
          }
          done.push({ ref: `/${index}`, index, line: elementLine, value });
          index++;
          buf = '';
          state = 'after';
        };
        for (let i = 0; i < chunk.length; i++) {
          const ch = chunk[i];
          if (ch === '\n') line++;
          switch (state as State) {
            case 'start':
              if (WS.has(ch)) break;
              if (ch === '[') state = 'before';
              else if (ch === '{') {
                state = 'object';
                topLevelObject = true;
                elementLine = line;
                depth = 1;
                buf = '{';
                segStart = i + 1;
              } else throw this.error(`expected a JSON array, found ${JSON.stringify(ch)}`, line);
              break;
            case 'before':
              if (WS.has(ch)) break;
              if (ch === ']' && index === 0) {
                state = 'end';
                break;
              }
              if (ch === ']' || ch === ',') throw this.error(`unexpected ${JSON.stringify(ch)} in the top-level array`, line);
              state = 'element';
              elementLine = line;
              segStart = i;
              depth = 0;
              inString = false;
              escaped = false;
              i--; // re-read this character in the element state (never a newline here)
              break;
            case 'element':
            case 'object':
              if (inString) {
                if (escaped) escaped = false;
                else if (ch === '\\') escaped = true;
                else if (ch === '"') inString = false;
                break;
              }
              if (ch === '"') inString = true;
              else if (ch === '{' || ch === '[') {
                depth++;
                if (depth > L.maxDepth) throw this.error(`JSON nesting is deeper than ${L.maxDepth} levels`, line);
              } else if (ch === '}' || ch === ']') {
                if (state === 'element' && depth === 0) {
                  // end of a scalar element, closing the top-level array
                  finishElement(i);
                  state = 'end';
                  break;
                }
                depth--;
                if (depth === 0) {
                  if (state === 'object') {
                    finishElement(i + 1);
                    state = 'end';
                  } else {
                    finishElement(i + 1);
                  }
                }
              } else if (state === 'element' && depth === 0 && ch === ',') {
                finishElement(i);
                state = 'before';
              } else if (state === 'element' && depth === 0 && WS.has(ch)) {
                finishElement(i);
              }
              break;
            case 'after':
              if (WS.has(ch)) break;
              if (ch === ',') state = 'before';
              else if (ch === ']') state = 'end';
              else throw this.error(`expected "," or "]" after element ${index - 1}, found ${JSON.stringify(ch)}`, line);
              break;
            case 'end':
              if (!WS.has(ch)) throw this.error(`unexpected ${JSON.stringify(ch)} after the end of the top-level value`, line);
              break;
          }
        }
        if (segStart >= 0) {
          buf += chunk.slice(segStart);
          if (buf.length > L.maxElementChars) {
            throw new SourceError(
              'limit',
              this.file,
              `file ${this.file}: element ${index} starting at line ${elementLine} is larger than ${L.maxElementChars} characters`,
              String(elementLine),
            );
          }
        }
        for (const el of done) {
          if (topLevelObject) {
            yield* this.unwrap(el.value as { [key: string]: JsonValue }, el.line);
          } else {
            yield el;
          }
        }
      }
    } finally {
      stream.destroy();
    }
    if (state === 'start') return; // empty file
    if (state !== 'end') throw this.error('the JSON ends before the top-level value is closed (truncated file?)', line);
  }

  private *unwrap(obj: { [key: string]: JsonValue }, line: number): Generator<JsonElement> {
    const keys = Object.keys(obj);
    const arrays = keys.filter((k) => Array.isArray(obj[k]));
    const key = WRAPPER_KEYS.find((k) => arrays.includes(k)) ?? (arrays.length === 1 ? arrays[0] : undefined);
    if (!key) {
      yield { ref: '', index: 0, line, value: obj };
      return;
    }
    const arr = obj[key] as JsonValue[];
    for (let i = 0; i < arr.length; i++) {
      yield { ref: jsonPointer('', key, i), index: i, line, value: arr[i] };
    }
  }
}

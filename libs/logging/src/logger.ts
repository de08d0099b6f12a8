import { LoggerService } from '@nestjs/common';
import { maskIdNumber, maskPhone } from '@qc/pii';
import pino, { Logger } from 'pino';

// Defence in depth: nothing should log personal data, but a citizen ID or a mobile number that
// slips into a message is masked before it is written.
const ID_NUMBER = /(?<![0-9])(?:\d{17}[\dXx]|\d{15})(?![0-9Xx])/g;
const MOBILE = /(?<![0-9])1[3-9]\d{9}(?![0-9])/g;

export function scrubPersonalData(text: string): string {
  return text.replace(ID_NUMBER, maskIdNumber).replace(MOBILE, maskPhone);
}

/** Deeper than this, a logged object is cut off rather than walked (nothing logs that deep on purpose). */
const MAX_SCRUB_DEPTH = 10;

/**
 * A copy of a value (about to be logged, or sent in an error) with personal data masked wherever it is: strings, numbers
 * (a phone kept as a number), object keys, nested objects and arrays, errors (message, stack and
 * their own fields, cause included) and whatever toJSON() gives.
 */
export function scrubPersonalDataDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return scrubPersonalData(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const scrubbed = scrubPersonalData(text);
    return scrubbed === text ? value : scrubbed;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_SCRUB_DEPTH) return '[Object]';
  seen.add(value);
  const walk = (inner: unknown) => scrubPersonalDataDeep(inner, seen, depth + 1);
  if (Array.isArray(value)) return value.map(walk);
  if (value instanceof Error) {
    // A copy of the same class, so pino's error serializer still sees an error of that type.
    const copy = Object.assign(Object.create(Object.getPrototypeOf(value)) as Error, scrubEntries(value, walk));
    copy.message = walk(value.message) as string;
    copy.stack = walk(value.stack) as string | undefined;
    if (value.cause !== undefined) copy.cause = walk(value.cause);
    return copy;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return walk((value as { toJSON(): unknown }).toJSON());
  return scrubEntries(value, walk);
}

function scrubEntries(value: object, walk: (inner: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [scrubPersonalData(key), walk(inner)]));
}

/** One pino logger per process, writing JSON lines to stderr (or appending to `file`) so a command's stdout stays its output. */
export function createLogger(level: string, file?: string): Logger {
  const logger = pino({
    level,
    base: { pid: process.pid },
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((arg) => scrubPersonalDataDeep(arg)) as Parameters<typeof method>);
      },
    },
  }, pino.destination(file ? { dest: file, append: true, mkdir: true, sync: false } : { fd: 2, sync: false }));
  // A child's bindings (logger.child({ file })) are written with every line it logs; pino applies no
  // formatter to them, so they are scrubbed here. Children inherit this method, grandchildren too.
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, options) {
    return child.call(this, scrubPersonalDataDeep(bindings) as typeof bindings, options);
  } as typeof child;
  return logger;
}

/** Routes Nest's own logging through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) { this.logger.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.logger.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: string) { this.logger.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.logger.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.logger.trace({ context }, String(message)); }
}

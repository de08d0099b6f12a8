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

/** One pino logger per process, writing JSON lines to stderr (or appending to `file`) so a command's stdout stays its output. */
export function createLogger(level: string, file?: string): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubPersonalData(a) : a));
        return method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  }, pino.destination(file ? { dest: file, append: true, mkdir: true, sync: false } : { fd: 2, sync: false }));
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

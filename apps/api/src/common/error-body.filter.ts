import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { LOGGER, Logger, scrubPersonalData, scrubPersonalDataDeep } from '@qc/logging';
import { QueryInputError } from '@qc/query';
import { RateLimitedException } from '@qc/auth';
import { FastifyReply, FastifyRequest } from 'fastify';

const CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'payload_too_large', 415: 'unsupported_media_type', 422: 'unprocessable', 429: 'rate_limited',
};

/** Every error leaves as { code, message, details }; an unexpected one is logged, never echoed. */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(thrown: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // Answered before the client finished sending (a stalled or refused upload): end the connection with
    // the answer rather than keep reading a body nobody wants.
    if (!host.switchToHttp().getRequest<FastifyRequest>().raw.complete) void reply.header('connection', 'close');
    // Input the read models refused (a foreign cursor, an unsearchable name) is the caller's error.
    const exception = thrown instanceof QueryInputError ? new BadRequestException(thrown.message) : thrown;
    if (exception instanceof RateLimitedException) void reply.header('Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : { message: response };
      const messages = Array.isArray(body.message) ? (body.message as string[]) : null;
      // Validation messages can name what the client sent (an unknown property's name): an ID number or a phone is never echoed.
      void reply.status(status).send(scrubPersonalDataDeep({
        code: CODES[status] ?? `http_${status}`,
        message: messages ? 'the request is not valid' : String(body.message ?? exception.message),
        details: messages ?? body.details ?? null,
      }));
      return;
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, body too large, bad content type).
      void reply.status(status).send({ code: CODES[status] ?? `http_${status}`, message: scrubPersonalData((exception as Error).message), details: null });
      return;
    }
    this.logger.error({ err: (exception as Error)?.message, stack: (exception as Error)?.stack }, 'unhandled error');
    void reply.status(HttpStatus.INTERNAL_SERVER_ERROR).send({ code: 'internal', message: 'internal error', details: null });
  }
}

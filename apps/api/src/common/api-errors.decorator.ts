import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorBodyDto } from './error-body.dto';

const MEANING: Record<number, string> = {
  400: 'a parameter or the body is not valid (unknown parameters included), or the cursor is not one of ours',
  401: 'no API key, or an unknown or revoked one',
  403: 'the key lacks the scope the route needs',
  404: 'nothing with that id or code',
  409: 'the request conflicts with the registry\'s state',
  422: 'well-formed but not processable',
  429: 'the key\'s rate limit is reached; retry after the Retry-After header\'s seconds',
};

/** The error responses of a route, each with the common { code, message, details } body. 401, 403 and 429 apply to every keyed route. */
export function ApiErrors(...statuses: (400 | 404 | 409 | 422)[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, 401, 403, 429])].sort().map((status) => ApiResponse({ status, type: ErrorBodyDto, description: MEANING[status] })),
  );
}

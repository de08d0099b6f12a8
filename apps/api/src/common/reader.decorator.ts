import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest, mayReadPii } from '@qc/auth';
import { PersonalDataReaderContext } from '@qc/pii';
import { FastifyRequest } from 'fastify';
import { deferAuditOfConditionalRead } from './etag';

/**
 * Who reads, for PersonalDataReader: the route's API key, and whether it may see personal data in
 * clear; on an ETag route, with its audit held until the data is sent.
 */
export const Reader = createParamDecorator((_data: unknown, context: ExecutionContext): PersonalDataReaderContext => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest & FastifyRequest>();
  const key = request.apiKey!;
  return deferAuditOfConditionalRead(request, { actor: `api-key:${key.name}`, apiKeyId: key.id, mayReadPii: mayReadPii(key.scopes) });
});

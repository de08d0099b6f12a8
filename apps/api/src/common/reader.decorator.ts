import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest, mayReadPii } from '@qc/auth';
import { PersonalDataReaderContext } from '@qc/pii';

/** Who reads, for PersonalDataReader: the route's API key, and whether it may see personal data in clear. */
export const Reader = createParamDecorator((_data: unknown, context: ExecutionContext): PersonalDataReaderContext => {
  const key = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey!;
  return { actor: `api-key:${key.name}`, apiKeyId: key.id, mayReadPii: mayReadPii(key.scopes) };
});

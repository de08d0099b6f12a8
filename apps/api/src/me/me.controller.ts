import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, mayReadPii, RequireScopes } from '@qc/auth';

// Stub for W1 (the workbench's sign-in); W2's /v1/me replaces it.
@ApiTags('keys')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @RequireScopes()
  @ApiOperation({ summary: 'The key making the request: its name, scopes and whether it may read personal data in clear' })
  me(@Req() request: AuthenticatedRequest) {
    const key = request.apiKey!;
    return { name: key.name, scopes: key.scopes, mayReadPii: mayReadPii(key.scopes) };
  }
}

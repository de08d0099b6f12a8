import { Controller, Get, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, grantedScopes, mayReadPii, RequireScopes } from '@qc/auth';
import { Scope, SCOPES } from '@qc/database';

export class MeDto {
  @ApiProperty({ example: 'monitoring', description: 'the key\'s name' }) name: string;
  @ApiProperty({ enum: SCOPES, isArray: true, description: 'every scope the key grants: its own and those they imply (admin: all; imports:write: imports:read)' })
  scopes: Scope[];
  @ApiProperty({ description: 'whether ID numbers and phones are shown in clear to this key' }) mayReadPii: boolean;
}

/** Who the caller is: what a client shows or hides follows from it. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  // Any valid key may ask what it may do.
  @RequireScopes()
  @ApiOperation({ summary: 'The key making the call: its name, the scopes it grants and whether it sees personal data in clear' })
  @ApiOkResponse({ type: MeDto })
  me(@Req() request: AuthenticatedRequest): MeDto {
    const key = request.apiKey!;
    return { name: key.name, scopes: grantedScopes(key.scopes), mayReadPii: mayReadPii(key.scopes) };
  }
}

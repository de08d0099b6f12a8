import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { ChangeFeedQuery } from '@qc/query';
import { ApiErrors } from '../common/api-errors.decorator';
import { PageQueryDto } from '../common/page.dto';
import { ChangePageDto } from './change.dto';

@ApiTags('changes')
@ApiBearerAuth()
@RequireScopes('registry:read')
@Controller('v1/changes')
export class ChangesController {
  constructor(private readonly feed: ChangeFeedQuery) {}

  @Get()
  @ApiOperation({
    summary: 'The change feed: every create, update and merge in order. Start without `after` and follow nextCursor while hasMore; '
      + 'then keep the last nextCursor and poll with it later. A create shows the entity as it is now',
  })
  @ApiOkResponse({ type: ChangePageDto })
  @ApiErrors(400)
  list(@Query() query: PageQueryDto): Promise<ChangePageDto> {
    return this.feed.list(query);
  }
}

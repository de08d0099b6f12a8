import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { RedPropertyQuery } from '@qc/query';
import { ApiErrors } from '../common/api-errors.decorator';
import { divisionCodeOf } from '../common/division-filter';
import { PlaceListQueryDto } from '../places/place.dto';
import { RedPropertyBranchPageDto } from './red-property.dto';

@ApiTags('red-property')
@ApiBearerAuth()
@RequireScopes('registry:read')
@Controller('v1/red-property')
export class RedPropertyController {
  constructor(private readonly branches: RedPropertyQuery) {}

  @Get()
  @ApiOperation({ summary: 'The red-property (红色物业) party branches with their company, compounds served, community, members and founding date' })
  @ApiOkResponse({ type: RedPropertyBranchPageDto })
  @ApiErrors(400)
  list(@Query() query: PlaceListQueryDto): Promise<RedPropertyBranchPageDto> {
    return this.branches.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }
}

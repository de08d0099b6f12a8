import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { DivisionStatsService, DivisionsService, parseDivisionCode } from '@qc/divisions';
import { reasonText } from '@qc/reasons';
import { ApiErrors } from '../common/api-errors.decorator';
import { DivisionDto, DivisionSummaryDto } from './division.dto';
import { DivisionStatsDto } from './division-stats.dto';

@ApiTags('divisions')
@ApiBearerAuth()
@Controller('v1/divisions')
export class DivisionsController {
  constructor(private readonly divisions: DivisionsService, private readonly stats: DivisionStatsService) {}

  @Get(':code')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'A division with its path and children' })
  @ApiParam({ name: 'code', description: 'the 12-digit code or its significant prefix (150105 = 150105000000 = 赛罕区)' })
  @ApiOkResponse({ type: DivisionDto })
  async get(@Param('code') input: string): Promise<DivisionDto> {
    const parsed = parseDivisionCode(input);
    if (!parsed.ok) throw new BadRequestException(reasonText(parsed.reason));
    const found = await this.divisions.findWithChildren(parsed.code);
    if (!found) throw new NotFoundException(`no division with code ${parsed.code}`);
    const { division: d } = found;
    return {
      ...DivisionSummaryDto.from(d),
      path: found.ancestors.map(DivisionSummaryDto.from),
      children: found.children.map(DivisionSummaryDto.from),
      figures: d.level === 'community'
        ? { households: d.households, residents: d.residents, minorityResidents: d.minorityResidents, communityWorkers: d.communityWorkers, reportedGrids: d.reportedGrids, reportedBuildings: d.reportedBuildings }
        : null,
    };
  }

  @Get(':code/stats')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'The consolidated figures of a community, or summed over the communities of a street, district or the city' })
  @ApiParam({ name: 'code', description: 'the 12-digit code or its significant prefix' })
  @ApiOkResponse({ type: DivisionStatsDto })
  @ApiErrors(400, 404)
  async statistics(@Param('code') input: string): Promise<DivisionStatsDto> {
    const parsed = parseDivisionCode(input);
    if (!parsed.ok) throw new BadRequestException(reasonText(parsed.reason));
    if (!(await this.divisions.findWithChildren(parsed.code))) throw new NotFoundException(`no division with code ${parsed.code}`);
    return { code: parsed.code, ...(await this.stats.stats(parsed.code)) };
  }
}

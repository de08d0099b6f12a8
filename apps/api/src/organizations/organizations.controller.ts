import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { OrganizationQuery } from '@qc/query';
import { ApiErrors } from '../common/api-errors.decorator';
import { ETag } from '../common/etag';
import { found } from '../common/found';
import { IdParamDto } from '../common/id-param.dto';
import { divisionCodeOf } from '../common/division-filter';
import { ListOrganizationsQueryDto, OrganizationDetailDto, OrganizationPageDto, OrganizationTreeNodeDto, OrganizationTreeQueryDto } from './organization.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@RequireScopes('registry:read')
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationQuery) {}

  @Get()
  @ApiOperation({ summary: 'Party organizations, filtered, in a stable order, page by page' })
  @ApiOkResponse({ type: OrganizationPageDto })
  @ApiErrors(400)
  list(@Query() query: ListOrganizationsQueryDto): Promise<OrganizationPageDto> {
    return this.organizations.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }

  @Get(':id')
  @ETag()
  @ApiOperation({ summary: 'A party organization with its current member counts and joint-organization links (ETag / If-None-Match)' })
  @ApiOkResponse({ type: OrganizationDetailDto })
  @ApiErrors(400, 404)
  async get(@Param() { id }: IdParamDto): Promise<OrganizationDetailDto> {
    return found(await this.organizations.get(id), 'organization', id);
  }

  @Get(':id/tree')
  @ETag()
  @ApiOperation({ summary: 'The structure below an organization: 社区党委 → 网格党支部 → 楼栋党小组, with member and 党员中心户 counts per node' })
  @ApiOkResponse({ type: OrganizationTreeNodeDto })
  @ApiErrors(400, 404)
  async tree(@Param() { id }: IdParamDto, @Query() { depth }: OrganizationTreeQueryDto): Promise<OrganizationTreeNodeDto> {
    return found(await this.organizations.tree(id, depth), 'organization', id);
  }
}

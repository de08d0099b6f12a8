import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { BuildingQuery, CompoundQuery, GridQuery, PropertyCompanyQuery } from '@qc/query';
import { ApiErrors } from '../common/api-errors.decorator';
import { divisionCodeOf } from '../common/division-filter';
import { ETag } from '../common/etag';
import { found } from '../common/found';
import { IdParamDto } from '../common/id-param.dto';
import {
  BuildingDto, BuildingListQueryDto, BuildingPageDto, CompoundDto, CompoundPageDto, GridDto, GridPageDto, PlaceListQueryDto, PropertyCompanyDto,
  PropertyCompanyPageDto,
} from './place.dto';

@ApiTags('places')
@ApiBearerAuth()
@RequireScopes('registry:read')
@Controller('v1')
export class PlacesController {
  constructor(
    private readonly grids: GridQuery,
    private readonly compounds: CompoundQuery,
    private readonly buildings: BuildingQuery,
    private readonly companies: PropertyCompanyQuery,
  ) {}

  @Get('grids')
  @ApiOperation({ summary: 'Grids (网格), page by page' })
  @ApiOkResponse({ type: GridPageDto })
  @ApiErrors(400)
  listGrids(@Query() query: PlaceListQueryDto): Promise<GridPageDto> {
    return this.grids.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }

  @Get('grids/:id')
  @ETag()
  @ApiOperation({ summary: 'A grid' })
  @ApiOkResponse({ type: GridDto })
  @ApiErrors(400, 404)
  async getGrid(@Param() { id }: IdParamDto): Promise<GridDto> {
    return found(await this.grids.get(id), 'grid', id);
  }

  @Get('compounds')
  @ApiOperation({ summary: 'Residential compounds (小区), page by page' })
  @ApiOkResponse({ type: CompoundPageDto })
  @ApiErrors(400)
  listCompounds(@Query() query: PlaceListQueryDto): Promise<CompoundPageDto> {
    return this.compounds.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }

  @Get('compounds/:id')
  @ETag()
  @ApiOperation({ summary: 'A compound' })
  @ApiOkResponse({ type: CompoundDto })
  @ApiErrors(400, 404)
  async getCompound(@Param() { id }: IdParamDto): Promise<CompoundDto> {
    return found(await this.compounds.get(id), 'compound', id);
  }

  @Get('buildings')
  @ApiOperation({ summary: 'Buildings (楼栋), by division, compound or grid, page by page' })
  @ApiOkResponse({ type: BuildingPageDto })
  @ApiErrors(400)
  listBuildings(@Query() query: BuildingListQueryDto): Promise<BuildingPageDto> {
    return this.buildings.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }

  @Get('buildings/:id')
  @ETag()
  @ApiOperation({ summary: 'A building' })
  @ApiOkResponse({ type: BuildingDto })
  @ApiErrors(400, 404)
  async getBuilding(@Param() { id }: IdParamDto): Promise<BuildingDto> {
    return found(await this.buildings.get(id), 'building', id);
  }

  @Get('property-companies')
  @ApiOperation({ summary: 'Property-management companies (物业), page by page; with a division, those whose red-property branch is in it' })
  @ApiOkResponse({ type: PropertyCompanyPageDto })
  @ApiErrors(400)
  listCompanies(@Query() query: PlaceListQueryDto): Promise<PropertyCompanyPageDto> {
    return this.companies.list({ ...query, divisionCode: divisionCodeOf(query.division) });
  }

  @Get('property-companies/:id')
  @ETag()
  @ApiOperation({ summary: 'A property-management company' })
  @ApiOkResponse({ type: PropertyCompanyDto })
  @ApiErrors(400, 404)
  async getCompany(@Param() { id }: IdParamDto): Promise<PropertyCompanyDto> {
    return found(await this.companies.get(id), 'property company', id);
  }
}

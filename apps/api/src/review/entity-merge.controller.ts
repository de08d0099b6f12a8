import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, RequireScopes } from '@qc/auth';
import { EntityMerge, movedCounts } from '@qc/database';
import { CurationService, MergeableType, MergeLog } from '@qc/registry';
import { ErrorBodyDto } from '../common/error-body.dto';
import { IdParamDto } from '../common/id-param.dto';
import { actorOf } from './review.controller';
import { EntityMergePageDto, ListEntityMergesQueryDto, MergeEntitiesDto } from './review.dto';

/** What a merge answers: the record of the merge, without the rows it keeps for undoing it. */
function mergeView({ undo, ...merge }: EntityMerge) {
  return { ...merge, moved: movedCounts(undo) };
}

abstract class EntityMergeRoutes {
  protected abstract readonly type: MergeableType;
  constructor(private readonly curation: CurationService) {}

  @Post('merge')
  @HttpCode(200)
  @RequireScopes('review:write')
  @ApiOperation({ summary: 'Merge mergedId into survivorId: links, memberships, roles, children and external ids move over, the golden record is recomputed; mergedId then points to the survivor' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'already merged, or the two cannot be one (different valid ID numbers)' })
  async merge(@Body() body: MergeEntitiesDto, @Req() request: AuthenticatedRequest) {
    return mergeView(await this.curation.merge(this.type, { survivorId: body.survivorId, mergedId: body.mergedId, actor: actorOf(request), note: body.note ?? null }));
  }

  @Post(':id/unmerge')
  @HttpCode(200)
  @RequireScopes('review:write')
  @ApiOperation({ summary: 'Undo the merge that absorbed this id: everything it moved goes back, both golden records are recomputed' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'not merged' })
  async unmerge(@Param() { id }: IdParamDto, @Req() request: AuthenticatedRequest) {
    return mergeView(await this.curation.unmerge(this.type, id, actorOf(request)));
  }
}

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/entity-merges')
export class EntityMergesController {
  constructor(private readonly log: MergeLog) {}

  @Get()
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'Merges of persons and organizations that people made (by hand or by a review decision), newest first; each says whether unmerge can undo it now' })
  @ApiOkResponse({ type: EntityMergePageDto })
  list(@Query() query: ListEntityMergesQueryDto): Promise<EntityMergePageDto> {
    return this.log.list(query);
  }
}

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/persons')
export class PersonMergeController extends EntityMergeRoutes {
  protected readonly type = 'person';
  constructor(curation: CurationService) { super(curation); }
}

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationMergeController extends EntityMergeRoutes {
  protected readonly type = 'organization';
  constructor(curation: CurationService) { super(curation); }
}

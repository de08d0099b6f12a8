import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, RequireScopes } from '@qc/auth';
import { PersonalDataReaderContext } from '@qc/pii';
import { CurationService, ReviewQueue } from '@qc/registry';
import { ErrorBodyDto } from '../common/error-body.dto';
import { Reader } from '../common/reader.decorator';
import { divisionCodeOf } from '../common/division-filter';
import { ListReviewTasksQueryDto, ReviewDecisionDto, ReviewTaskDetailDto, ReviewTaskDto, ReviewTaskPageDto } from './review.dto';

export const actorOf = (request: AuthenticatedRequest) => `api-key:${request.apiKey!.name}`;

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/review-tasks')
export class ReviewController {
  constructor(private readonly queue: ReviewQueue, private readonly curation: CurationService) {}

  @Get()
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'The review worklist: highest score first (or oldest first), filtered by status, kind, district and community, page by page (follow nextCursor); each task with both sides named, placed and organized' })
  @ApiOkResponse({ type: ReviewTaskPageDto })
  list(@Query() query: ListReviewTasksQueryDto): Promise<ReviewTaskPageDto> {
    return this.queue.list({ ...query, district: divisionCodeOf(query.district), community: divisionCodeOf(query.community) });
  }

  @Get(':id')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'A review task with both sides (personal data masked unless the key may read it), each with its organizations, communities and source rows, and the evidence: per field, the level reached and its weight' })
  @ApiOkResponse({ type: ReviewTaskDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('id') id: string, @Reader() reader: PersonalDataReaderContext): Promise<ReviewTaskDetailDto> {
    return this.queue.get(id, reader);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @RequireScopes('review:write')
  @ApiOperation({ summary: "Decide a review task: 'merge' merges the record's entity into the existing one, 'keep-apart' keeps both; remembered when the record is imported again" })
  @ApiOkResponse({ type: ReviewTaskDto, description: 'the decided task' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'already decided' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  decide(@Param('id') id: string, @Body() body: ReviewDecisionDto, @Req() request: AuthenticatedRequest) {
    return this.curation.decide(id, body.decision, actorOf(request), body.note ?? null);
  }

  @Post(':id/undo')
  @HttpCode(200)
  @RequireScopes('review:write')
  @ApiOperation({ summary: 'Undo a decision: a merge it made is unmerged (everything it moved goes back), and the task is open again' })
  @ApiOkResponse({ type: ReviewTaskDto, description: 'the task, open again' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'not decided (open or withdrawn), its merge cannot be undone now, or the same question is open as another task' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  undo(@Param('id') id: string, @Req() request: AuthenticatedRequest) {
    return this.curation.undo(id, actorOf(request));
  }
}

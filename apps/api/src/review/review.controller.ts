import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, RequireScopes } from '@qc/auth';
import { PersonalDataReaderContext } from '@qc/pii';
import { CurationService, ReviewQueue } from '@qc/registry';
import { ErrorBodyDto } from '../common/error-body.dto';
import { Reader } from '../common/reader.decorator';
import { ListReviewTasksQueryDto, ReviewDecisionDto } from './review.dto';

export const actorOf = (request: AuthenticatedRequest) => `api-key:${request.apiKey!.name}`;

@ApiTags('review')
@ApiBearerAuth()
@Controller('v1/review-tasks')
export class ReviewController {
  constructor(private readonly queue: ReviewQueue, private readonly curation: CurationService) {}

  @Get()
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'Review tasks, oldest first, page by page (follow nextCursor)' })
  list(@Query() query: ListReviewTasksQueryDto) {
    return this.queue.list(query);
  }

  @Get(':id')
  @RequireScopes('registry:read')
  @ApiOperation({ summary: 'A review task with both sides (personal data masked unless the key may read it) and the evidence: per field, the level reached and its weight' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('id') id: string, @Reader() reader: PersonalDataReaderContext) {
    return this.queue.get(id, reader);
  }

  @Post(':id/decision')
  @HttpCode(200)
  @RequireScopes('review:write')
  @ApiOperation({ summary: "Decide a review task: 'merge' merges the record's entity into the existing one, 'keep-apart' keeps both; remembered when the record is imported again" })
  @ApiOkResponse({ description: 'the decided task' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'already decided' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  decide(@Param('id') id: string, @Body() body: ReviewDecisionDto, @Req() request: AuthenticatedRequest) {
    return this.curation.decide(id, body.decision, actorOf(request), body.note ?? null);
  }
}

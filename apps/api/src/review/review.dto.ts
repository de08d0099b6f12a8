import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_STATUSES, ReviewStatus } from '@qc/database';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/page.dto';

export class ListReviewTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES, description: 'open, merged, kept-apart or resolved (default: all)' })
  @IsOptional() @IsIn(REVIEW_STATUSES as unknown as string[])
  status?: ReviewStatus;

  @ApiPropertyOptional({ enum: ['person', 'organization', 'membership'] })
  @IsOptional() @IsIn(['person', 'organization', 'membership'])
  entityType?: string;
}

export class ReviewDecisionDto {
  @ApiProperty({ enum: ['merge', 'keep-apart'] })
  @IsIn(['merge', 'keep-apart'], { message: "decision must be 'merge' or 'keep-apart'" })
  decision: 'merge' | 'keep-apart';

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

export class MergeEntitiesDto {
  @ApiProperty({ format: 'uuid', description: 'the entity that stays' })
  @IsUUID(undefined, { message: 'survivorId must be a UUID' })
  survivorId: string;

  @ApiProperty({ format: 'uuid', description: 'the entity absorbed into the survivor; its id keeps answering with a pointer to the survivor' })
  @IsUUID(undefined, { message: 'mergedId must be a UUID' })
  mergedId: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional() @IsString() @MaxLength(2000)
  note?: string;
}

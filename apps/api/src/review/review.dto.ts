import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_KINDS, REVIEW_STATUSES, ReviewKind, ReviewStatus } from '@qc/database';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DIVISION_FILTER, DIVISION_FILTER_MESSAGE } from '../common/division-filter';
import { PageOf, PageQueryDto } from '../common/page.dto';

export class ListReviewTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: [...REVIEW_STATUSES, 'decided'], description: 'open, merged, kept-apart, resolved, withdrawn, or decided (merged, kept-apart or resolved); default: all' })
  @IsOptional() @IsIn([...REVIEW_STATUSES, 'decided'])
  status?: ReviewStatus | 'decided';

  @ApiPropertyOptional({ enum: ['person', 'organization', 'membership'] })
  @IsOptional() @IsIn(['person', 'organization', 'membership'])
  entityType?: string;

  @ApiPropertyOptional({ enum: REVIEW_KINDS, description: 'possible-duplicate (merge or keep apart) or conflict (keep apart resolves it)' })
  @IsOptional() @IsIn(REVIEW_KINDS as unknown as string[])
  kind?: ReviewKind;

  @ApiPropertyOptional({ example: '150105', description: 'tasks with a side in this district (a division code: 12 digits or its significant prefix)' })
  @IsOptional() @Matches(DIVISION_FILTER, { message: DIVISION_FILTER_MESSAGE.replace('division', 'district') })
  district?: string;

  @ApiPropertyOptional({ example: '150105001019', description: 'tasks with a side in this community (a division code)' })
  @IsOptional() @Matches(DIVISION_FILTER, { message: DIVISION_FILTER_MESSAGE.replace('division', 'community') })
  community?: string;

  @ApiPropertyOptional({ enum: ['score', 'age'], default: 'score', description: 'score: highest first, tasks without a score (conflicts) last; age: oldest first' })
  @IsOptional() @IsIn(['score', 'age'])
  sort?: 'score' | 'age';
}

export class ReviewSideSummaryDto {
  @ApiProperty({ nullable: true, type: String, example: '张丽华', description: 'the person\'s or organization\'s name; null when it is gone (merged)' }) name: string | null;
  @ApiProperty({ nullable: true, type: String, example: '兴康社区居委会', description: 'the division of its organization (a person\'s current one; an organization\'s own)' }) community: string | null;
  @ApiProperty({ nullable: true, type: String, example: '150105001019' }) communityCode: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a person\'s current organization (else its latest); an organization\'s parent' }) organization: string | null;
}

export class ReviewTaskItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: ReviewKind;
  @ApiProperty({ enum: ['person', 'organization', 'membership'] }) entityType: string;
  @ApiProperty({ description: 'the entity the record became' }) leftId: string;
  @ApiProperty({ description: 'the existing entity it may be, or the value it contradicts' }) rightId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'the match score (Fellegi–Sunter, log2); null for a conflict' }) score: number | null;
  @ApiProperty() summary: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: ReviewStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the import that asked' }) batchId: string | null;
  @ApiProperty({ nullable: true, enum: ['merge', 'keep-apart'], description: 'what was decided; null while open or withdrawn' }) decision: 'merge' | 'keep-apart' | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: ReviewSideSummaryDto }) left: ReviewSideSummaryDto;
  @ApiProperty({ type: ReviewSideSummaryDto }) right: ReviewSideSummaryDto;
}

export class ReviewTaskPageDto extends PageOf(ReviewTaskItemDto) {}

export class ReviewEvidenceDto {
  @ApiProperty({ example: 'birthDate' }) field: string;
  @ApiProperty({ example: 'exact', description: 'the level the two reached (exact, phonetic, month, same organization, …)' }) level: string;
  @ApiProperty({ example: 4.2, description: 'the weight it added to the score' }) weight: number;
}

export class ReviewSideOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '兴康社区党委' }) name: string;
  @ApiProperty({ nullable: true, type: String }) formalName: string | null;
  @ApiProperty({ nullable: true, type: String, example: '150105001019' }) communityCode: string | null;
  @ApiProperty({ nullable: true, type: String, example: '兴康社区居委会' }) community: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a person\'s membership: current or former' }) status: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'a person\'s membership: full or probationary' }) category: string | null;
}

export class ReviewSideCommunityDto {
  @ApiProperty({ example: '150105001019' }) code: string;
  @ApiProperty({ example: '兴康社区居委会' }) name: string;
}

export class ReviewSideSourceDto {
  @ApiProperty({ nullable: true, type: String, example: 'S1' }) sourceKind: string | null;
  @ApiProperty({ example: '党员信息导出.csv' }) file: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ nullable: true, type: String }) sheet: string | null;
  @ApiProperty({ example: '7', description: 'the row in its sheet (the line of a CSV)' }) row: string;
  @ApiProperty({ example: 'subject', description: 'subject, or the reference the row made to it (organization, building_lead, …)' }) role: string;
}

export class ReviewSideDto {
  @ApiProperty({ enum: ['person', 'organization'] }) entityType: string;
  @ApiProperty() id: string;
  @ApiProperty({ description: 'false when the entity is gone (merged into mergedInto)' }) found: boolean;
  @ApiProperty({ nullable: true, type: String }) mergedInto: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'its fields; ID numbers and phones masked, birth dates by their year, unless the key has registry:read-pii' })
  fields: Record<string, unknown>;
  @ApiProperty({ description: 'source rows linked to it' }) records: number;
  @ApiProperty({ type: [ReviewSideOrganizationDto] }) organizations: ReviewSideOrganizationDto[];
  @ApiProperty({ type: [ReviewSideCommunityDto] }) communities: ReviewSideCommunityDto[];
  @ApiProperty({ type: [ReviewSideSourceDto], description: 'the source rows linked to it, oldest import first (the first 50; lineage lists all)' }) sources: ReviewSideSourceDto[];
}

export class ReviewTaskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REVIEW_KINDS }) kind: ReviewKind;
  @ApiProperty({ enum: ['person', 'organization', 'membership'] }) entityType: string;
  @ApiProperty() leftId: string;
  @ApiProperty() rightId: string;
  @ApiProperty({ description: 'identifies the question across imports' }) decisionKey: string;
  @ApiProperty({ nullable: true, type: Number }) score: number | null;
  @ApiProperty({ type: [ReviewEvidenceDto], description: 'as stored when the task was opened' }) evidence: ReviewEvidenceDto[];
  @ApiProperty() summary: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status: ReviewStatus;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) batchId: string | null;
  @ApiProperty({ nullable: true, type: String }) sourceRecordId: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: Date }) decidedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() createdAt: Date;
}

export class ReviewTaskDetailDto {
  @ApiProperty({ type: ReviewTaskDto }) task: ReviewTaskDto;
  @ApiProperty({ type: ReviewSideDto }) left: ReviewSideDto;
  @ApiProperty({ type: ReviewSideDto }) right: ReviewSideDto;
  @ApiProperty({ type: [ReviewEvidenceDto], description: 'per compared field: the level reached and its weight' }) evidence: ReviewEvidenceDto[];
  @ApiProperty({ description: 'true when the evidence was computed now from both persons (tasks from before evidence was stored)' }) evidenceRecomputed: boolean;
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

export class ListEntityMergesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['person', 'organization'] })
  @IsOptional() @IsIn(['person', 'organization'])
  entityType?: 'person' | 'organization';
}

export class MovedCountsDto {
  @ApiProperty() links: number;
  @ApiProperty() externalRefs: number;
  @ApiProperty() memberships: number;
  @ApiProperty() roles: number;
  @ApiProperty() children: number;
}

export class EntityMergeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['person', 'organization'] }) entityType: string;
  @ApiProperty({ format: 'uuid', description: 'the entity that stayed' }) survivorId: string;
  @ApiProperty({ format: 'uuid', description: 'the entity absorbed; unmerge it to undo: POST /v1/persons/{mergedId}/unmerge (or /v1/organizations/…)' }) mergedId: string;
  @ApiProperty({ nullable: true, type: String, description: 'the absorbed entity\'s name as it was' }) mergedName: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the survivor\'s name now; null once it is gone' }) survivorName: string | null;
  @ApiProperty({ example: 'api-key:reviewer' }) mergedBy: string;
  @ApiProperty() mergedAt: Date;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the review task whose decision made it (undo that task to reopen it)' }) reviewTaskId: string | null;
  @ApiProperty({ nullable: true, type: Date }) unmergedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) unmergedBy: string | null;
  @ApiProperty({ type: MovedCountsDto, description: 'what the merge moved to the survivor' }) moved: MovedCountsDto;
  @ApiProperty({ description: 'whether unmerge can undo it now: not undone yet, and its survivor not merged into another since' }) undoable: boolean;
}

export class EntityMergePageDto extends PageOf(EntityMergeDto) {}

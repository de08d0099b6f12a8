import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORGANIZATION_TAGS, ORGANIZATION_TYPES, OrganizationTag, OrganizationType } from '@qc/database';
import { MAX_TREE_DEPTH, MemberCounts, OrganizationDetail, OrganizationRef, OrganizationTreeNode, OrganizationView } from '@qc/query';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { DIVISION_FILTER, DIVISION_FILTER_MESSAGE } from '../common/division-filter';
import { PageOf, PageQueryDto } from '../common/page.dto';

/** Names: letters of any script, digits, spaces, middle dots, brackets and dashes; never quotes, semicolons or operators. */
export const NAME_QUERY = /^[\p{L}\p{M}\p{N}\s·•．.()（）\-—]+$/u;
export const NAME_QUERY_MESSAGE = 'q must be a name or part of one: letters, digits, spaces, ·, brackets or dashes';

export class MemberCountsDto implements MemberCounts {
  @ApiProperty({ description: 'current full members (正式党员)' }) full: number;
  @ApiProperty({ description: 'current probationary members (预备党员)' }) probationary: number;
  @ApiProperty({ description: 'all current members, including any of unknown category' }) total: number;
}

export class OrganizationDto implements OrganizationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId: string | null;
  @ApiProperty({ enum: ORGANIZATION_TYPES }) type: OrganizationType;
  @ApiProperty({ enum: ORGANIZATION_TAGS, isArray: true }) tags: OrganizationTag[];
  @ApiProperty({ nullable: true, type: String, example: '中共兴康社区委员会' }) formalName: string | null;
  @ApiProperty({ example: '兴康社区党委' }) shortName: string;
  @ApiProperty({ nullable: true, type: String, example: '150105001019', description: 'the community it belongs to' }) divisionCode: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gridId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) compoundId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) buildingId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) propertyCompanyId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: 'first day of the month or year when only that is known' }) foundedOn: string | null;
  @ApiProperty({ nullable: true, enum: ['day', 'month', 'year'] }) foundedPrecision: 'day' | 'month' | 'year' | null;
  @ApiProperty({ type: MemberCountsDto, description: 'current memberships held directly in this organization' }) members: MemberCountsDto;
}

export class OrganizationPageDto extends PageOf(OrganizationDto) {}

export class OrganizationRefDto implements OrganizationRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '日富物业党支部' }) shortName: string;
}

export class OrganizationDetailDto extends OrganizationDto implements OrganizationDetail {
  @ApiProperty({ type: [OrganizationRefDto], description: 'for a joint organization (联合党支部): the organizations taking part in it, by short name' })
  jointMembers: OrganizationRefDto[];
  @ApiProperty({ type: [OrganizationRefDto], description: 'the joint organizations this one takes part in, by short name' })
  jointOrganizations: OrganizationRefDto[];
}

export class OrganizationTreeNodeDto implements OrganizationTreeNode {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ORGANIZATION_TYPES }) type: OrganizationType;
  @ApiProperty({ enum: ORGANIZATION_TAGS, isArray: true }) tags: OrganizationTag[];
  @ApiProperty() shortName: string;
  @ApiProperty({ type: MemberCountsDto }) members: MemberCountsDto;
  @ApiProperty({ description: 'persons holding the 党员中心户 role for this organization' }) centralHouseholds: number;
  @ApiProperty({ type: () => [OrganizationTreeNodeDto], description: 'sorted by short name' }) children: OrganizationTreeNodeDto[];
}

export class ListOrganizationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ORGANIZATION_TYPES }) @IsOptional() @IsIn(ORGANIZATION_TYPES) type?: OrganizationType;
  @ApiPropertyOptional({ enum: ORGANIZATION_TAGS, example: 'red-property' }) @IsOptional() @IsIn(ORGANIZATION_TAGS) tag?: OrganizationTag;
  @ApiPropertyOptional({ example: '150105', description: 'a division code (12 digits or its significant prefix): organizations of it and below it' })
  @IsOptional() @Matches(DIVISION_FILTER, { message: DIVISION_FILTER_MESSAGE }) division?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ example: '兴康', description: 'part of the formal or the short name' })
  @IsOptional() @MaxLength(50) @Matches(NAME_QUERY, { message: NAME_QUERY_MESSAGE }) q?: string;
}

export class OrganizationTreeQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TREE_DEPTH, default: MAX_TREE_DEPTH, description: 'levels below the organization' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_TREE_DEPTH) depth: number = MAX_TREE_DEPTH;
}

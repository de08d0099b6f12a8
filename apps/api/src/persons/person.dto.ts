import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { MembershipCategory, MembershipStatus, Role, ROLES } from '@qc/database';
import { MembershipView, PersonSummaryView, PersonView, RoleView } from '@qc/query';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DIVISION_FILTER, DIVISION_FILTER_MESSAGE } from '../common/division-filter';
import { PageOf, PageQueryDto } from '../common/page.dto';
import { NAME_QUERY, NAME_QUERY_MESSAGE } from '../organizations/organization.dto';

const PII = 'masked unless the key has registry:read-pii (or admin); a clear read is audited';

export class PersonSummaryDto implements PersonSummaryView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '乌云其其格' }) name: string;
  @ApiProperty({ nullable: true, enum: ['M', 'F'] }) gender: 'M' | 'F' | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', description: `the first day of its year (birthPrecision 'year') unless the key has registry:read-pii (or admin)` }) birthDate: string | null;
  @ApiProperty({ nullable: true, enum: ['day', 'month', 'year'] }) birthPrecision: 'day' | 'month' | 'year' | null;
  @ApiProperty({ nullable: true, type: String, example: '150105************', description: PII }) idNumber: string | null;
  @ApiProperty({ nullable: true, type: String, example: '138****5678', description: PII }) phone: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'organization of the current membership' }) organizationId: string | null;
  @ApiProperty({ nullable: true, enum: ['full', 'probationary'] }) category: MembershipCategory | null;
}

export class PersonPageDto extends PageOf(PersonSummaryDto) {}

export class MembershipDto implements MembershipView {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty({ nullable: true, enum: ['full', 'probationary'] }) category: MembershipCategory | null;
  @ApiProperty({ enum: ['current', 'former', 'deceased'] }) status: MembershipStatus;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) joinedOn: string | null;
  @ApiProperty({ nullable: true, enum: ['day', 'month', 'year'] }) joinedPrecision: 'day' | 'month' | 'year' | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) regularizedOn: string | null;
}

export class RoleDto implements RoleView {
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) organizationId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the community the role is held in' }) divisionCode: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gridId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) compoundId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) buildingId: string | null;
  @ApiProperty({ nullable: true, type: Number }) unit: number | null;
  @ApiProperty({ nullable: true, type: String }) address: string | null;
}

export class PersonDto extends OmitType(PersonSummaryDto, ['organizationId', 'category'] as const) implements PersonView {
  @ApiProperty({ nullable: true, type: String, example: '02', description: 'GB 3304 ethnic group code' }) ethnicityCode: string | null;
  @ApiProperty({ nullable: true, type: String }) education: string | null;
  @ApiProperty({ nullable: true, type: String }) workplace: string | null;
  @ApiProperty({ nullable: true, type: String }) residence: string | null;
  @ApiProperty({ type: [MembershipDto], description: 'the current one first' }) memberships: MembershipDto[];
  @ApiProperty({ type: [RoleDto] }) roles: RoleDto[];
}

export class ListPersonsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '乌云', description: 'a name or its beginning, in characters or in pinyin syllables (wu yun); spelling variants with the same pinyin match too' })
  @IsOptional() @MaxLength(50) @Matches(NAME_QUERY, { message: NAME_QUERY_MESSAGE }) q?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'current members of this organization' }) @IsOptional() @IsUUID() organizationId?: string;
  @ApiPropertyOptional({ example: '150105001019', description: 'members of an organization of the division (or below), and role holders in it' })
  @IsOptional() @Matches(DIVISION_FILTER, { message: DIVISION_FILTER_MESSAGE }) division?: string;
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
}

export class PersonLookupDto {
  @ApiProperty({ example: '15010519850312123X', description: 'a full citizen ID number (18 digits, or the legacy 15); sent in the body so it never appears in URLs or access logs' })
  @IsString() @Matches(/^(\d{15}|\d{17}[\dXx])$/, { message: 'idNumber must be 18 digits (the last may be X) or 15 digits' }) idNumber: string;
}

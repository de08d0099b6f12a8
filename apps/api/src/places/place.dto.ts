import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BuildingView, CompoundView, GridView, PropertyCompanyView } from '@qc/query';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { DIVISION_FILTER, DIVISION_FILTER_MESSAGE } from '../common/division-filter';
import { PageOf, PageQueryDto } from '../common/page.dto';

export class PlaceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150105001019', description: 'a division code (12 digits or its significant prefix): places in it and below it' })
  @IsOptional() @Matches(DIVISION_FILTER, { message: DIVISION_FILTER_MESSAGE }) division?: string;
}

export class BuildingListQueryDto extends PlaceListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() compoundId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() gridId?: string;
}

export class GridDto implements GridView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '150105001019' }) communityCode: string;
  @ApiProperty({ example: 1, description: '第一网格 = 1' }) number: number;
  @ApiProperty({ nullable: true, type: String, description: 'the grid platform\'s 15-digit code' }) code: string | null;
  @ApiProperty({ example: '第一网格' }) name: string;
  @ApiProperty({ description: 'buildings assigned to the grid' }) buildings: number;
}

export class CompoundDto implements CompoundView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '150102004008' }) communityCode: string;
  @ApiProperty({ example: '航苑小区' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: '老缸房街12号' }) address: string | null;
  @ApiProperty({ nullable: true, type: Number }) builtYear: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the property company (物业) serving it' }) propertyCompanyId: string | null;
  @ApiProperty() buildings: number;
}

export class BuildingDto implements BuildingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) compoundId: string;
  @ApiProperty() communityCode: string;
  @ApiProperty({ example: '10号楼' }) label: string;
  @ApiProperty({ example: '10', description: 'the normalised number (10号楼 = 10# = 十号楼)' }) numberKey: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) gridId: string | null;
  @ApiProperty({ nullable: true, type: Number }) units: number | null;
  @ApiProperty({ nullable: true, type: Number }) households: number | null;
  @ApiProperty({ description: 'someone holds the 楼栋长 role for it' }) hasLead: boolean;
}

export class PropertyCompanyDto implements PropertyCompanyView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '呼和浩特市日富物业服务有限责任公司' }) name: string;
  @ApiProperty({ nullable: true, type: String, description: 'unified social credit code (GB 32100)' }) creditCode: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) creditCodeValid: boolean | null;
  @ApiProperty({ type: [String], description: 'ids of its red-property party branches' }) branchIds: string[];
}

export class GridPageDto extends PageOf(GridDto) {}
export class CompoundPageDto extends PageOf(CompoundDto) {}
export class BuildingPageDto extends PageOf(BuildingDto) {}
export class PropertyCompanyPageDto extends PageOf(PropertyCompanyDto) {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Division, DIVISION_LEVELS, DivisionLevel } from '@qc/database';

export class DivisionSummaryDto {
  @ApiProperty({ example: '150105000000', description: '12-digit statistical division code' })
  code: string;

  @ApiProperty({ example: '赛罕区' })
  name: string;

  @ApiProperty({ example: '赛罕区' })
  shortName: string;

  @ApiProperty({ enum: DIVISION_LEVELS })
  level: DivisionLevel;

  @ApiProperty({ nullable: true, type: String, example: '150100000000' })
  parentCode: string | null;

  static from(d: Division): DivisionSummaryDto {
    return { code: d.code, name: d.name, shortName: d.shortName, level: d.level, parentCode: d.parentCode };
  }
}

export class CommunityFiguresDto {
  @ApiPropertyOptional({ nullable: true, type: Number }) households: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) residents: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) minorityResidents: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) communityWorkers: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'grids as the community reported them' }) reportedGrids: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'buildings as the community reported them' }) reportedBuildings: number | null;
}

export class DivisionDto extends DivisionSummaryDto {
  @ApiProperty({ type: [DivisionSummaryDto], description: 'from the city down to the parent' })
  path: DivisionSummaryDto[];

  @ApiProperty({ type: [DivisionSummaryDto] })
  children: DivisionSummaryDto[];

  @ApiPropertyOptional({ type: CommunityFiguresDto, nullable: true, description: 'communities only: figures from the civil-affairs basics' })
  figures: CommunityFiguresDto | null;
}

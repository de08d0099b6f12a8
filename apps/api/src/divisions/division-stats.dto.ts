import { ApiProperty } from '@nestjs/swagger';
import { DivisionStats } from '@qc/divisions';

export class DivisionStatsDto implements DivisionStats {
  @ApiProperty({ example: '150105001019' }) code: string;
  @ApiProperty({ description: 'communities summed (1 for a community)' }) communities: number;
  @ApiProperty({ example: 2758 }) households: number;
  @ApiProperty() residents: number;
  @ApiProperty({ nullable: true, type: Number, example: 0.2457, description: 'minority residents / residents, 4 decimals; null without residents' }) minorityShare: number | null;
  @ApiProperty() communityWorkers: number;
  @ApiProperty({ example: 5 }) grids: number;
  @ApiProperty({ example: 3, description: 'party branches attached to a grid' }) gridBranches: number;
  @ApiProperty() compounds: number;
  @ApiProperty({ example: 63 }) buildings: number;
  @ApiProperty({ example: 35, description: 'buildings that have a building lead' }) buildingLeads: number;
  @ApiProperty({ example: 2, description: 'building party groups (党小组)' }) buildingGroups: number;
  @ApiProperty({ example: 6, description: 'persons holding the 党员中心户 role' }) centralHouseholds: number;
  @ApiProperty({ example: 9, description: 'party organizations of the communities' }) organizations: number;
  @ApiProperty({ description: 'persons with a current membership there (fullMembers + probationaryMembers, plus any of unknown category)' }) members: number;
  @ApiProperty() fullMembers: number;
  @ApiProperty() probationaryMembers: number;
  @ApiProperty({ description: 'red-property branches (for the city, also those whose community no source named yet)' }) redPropertyBranches: number;
}

import { ApiProperty } from '@nestjs/swagger';

/** What a rollback removed and restored (POST /v1/imports/{id}/rollback). */
export class RollbackResultDto {
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ description: 'false when the batch had already been rolled back: nothing changed' }) rolledBack: boolean;
  @ApiProperty({ example: 'batch … (党员信息导出.csv) rolled back' }) message: string;
  @ApiProperty({ description: 'links from the batch\'s records to entities, removed' }) linksRemoved: number;
  @ApiProperty({ description: 'memberships only this batch claimed, removed' }) membershipsRemoved: number;
  @ApiProperty({ description: 'role assignments only this batch claimed, removed' }) rolesRemoved: number;
  @ApiProperty({ description: 'joint-organization member links only this batch claimed, removed' }) jointMembersRemoved: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { person: 3, organization: 1 }, description: 'entities the batch created that no other record describes, deleted, per type' })
  deleted: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { person: 2 }, description: 'entities put back to what the remaining records say, per type' })
  restored: Record<string, number>;
  @ApiProperty({ description: 'open review tasks the batch had opened, now withdrawn' }) reviewTasksWithdrawn: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { ChangeAction } from '@qc/database';
import { ChangePage, ChangeView } from '@qc/query';

export class ChangeDto implements ChangeView {
  @ApiProperty({ example: '1042', description: 'position in the feed, strictly increasing' }) seq: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ example: 'person', description: 'division, grid, compound, building, property_company, organization, person, membership, role, joint_member' }) entityType: string;
  @ApiProperty() entityId: string;
  @ApiProperty({ enum: ['create', 'update', 'merge', 'unmerge', 'delete'] }) action: ChangeAction;
  @ApiProperty({
    type: 'object', additionalProperties: { type: 'array', minItems: 2, maxItems: 2, items: {} },
    description: '{ field: [before, after] }; ID numbers and phones always masked. A create is { field: [null, value] } with the entity\'s fields as they are when the feed is read, '
      + 'not as they were created (none once the entity is gone): the entries that follow it say [before, after] of each later change, so a follower applying every entry in order ends with what the API serves. A merge (on the survivor) is { absorbed: [absorbedId, survivorId] }: the absorbed entity is gone and what referred to it now refers to the survivor; '
      + 'rows the merge deletes or changes beyond that follow as entries of their own. An unmerge (on the entity that comes back) is { mergedInto: [survivorId, null] } with its fields as [null, value]; '
      + 'each row it gives back follows as an update, or as a create where the merge had deleted it',
  })
  changes: Record<string, [unknown, unknown]>;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the import batch that made the change' }) batchId: string | null;
}

export class ChangePageDto implements ChangePage {
  @ApiProperty({ type: [ChangeDto] }) items: ChangeDto[];
  @ApiProperty({ nullable: true, type: String, description: 'where you are in the feed, also after its last entry: pass as `after` to continue or to poll; null only before the first entry exists' })
  nextCursor: string | null;
  @ApiProperty({ description: 'more entries follow now; when false, poll again later with nextCursor' }) hasMore: boolean;
}

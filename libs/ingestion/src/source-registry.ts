import { Injectable } from '@nestjs/common';
import { CommunityBasicsSource } from './sources/community-basics.source';
import { SourceDefinition } from './sources/source-definition';

/** Which definition handles which kind of sheet: the one table to extend when a source is added. */
@Injectable()
export class SourceRegistry {
  private readonly byEntity: Map<string, SourceDefinition<unknown>>;

  constructor(communityBasics: CommunityBasicsSource) {
    const all: SourceDefinition<unknown>[] = [communityBasics as SourceDefinition<unknown>];
    this.byEntity = new Map(all.map((d) => [d.layoutEntity, d]));
  }

  forEntity(entity: string): SourceDefinition<unknown> | undefined {
    return this.byEntity.get(entity);
  }

  forEntityType(sourceKind: string, entityType: string): SourceDefinition<unknown> | undefined {
    return [...this.byEntity.values()].find((d) => d.entityType === entityType && sourceKind.split('+').includes(d.sourceKind));
  }
}

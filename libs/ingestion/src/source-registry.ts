import { Injectable } from '@nestjs/common';
import { AppMemberSource, AppOrganizationSource } from './sources/app-export.source';
import { BuildingSource } from './sources/building.source';
import { CentralHouseholdSource } from './sources/central-household.source';
import { CommunityBasicsSource } from './sources/community-basics.source';
import { CompoundSource } from './sources/compound.source';
import { GridSource } from './sources/grid.source';
import { MemberRosterSource } from './sources/member-roster.source';
import { OrgStructureSource } from './sources/org-structure.source';
import { RedPropertySource } from './sources/red-property.source';
import { SourceDefinition } from './sources/source-definition';

/** Which definition handles which kind of sheet (layout entity): the one table to extend when a source is added. */
@Injectable()
export class SourceRegistry {
  private readonly byEntity: Map<string, SourceDefinition<unknown>>;

  constructor(
    communityBasics: CommunityBasicsSource,
    memberRoster: MemberRosterSource,
    grid: GridSource,
    building: BuildingSource,
    compound: CompoundSource,
    centralHousehold: CentralHouseholdSource,
    orgStructure: OrgStructureSource,
    redProperty: RedPropertySource,
    appOrganization: AppOrganizationSource,
    appMember: AppMemberSource,
  ) {
    const all = [communityBasics, memberRoster, grid, building, compound, centralHousehold, orgStructure, redProperty, appOrganization, appMember] as SourceDefinition<unknown>[];
    this.byEntity = new Map(all.map((d) => [d.layoutEntity, d]));
  }

  forEntity(entity: string): SourceDefinition<unknown> | undefined {
    return this.byEntity.get(entity);
  }
}

export const SOURCE_DEFINITIONS = [
  CommunityBasicsSource, MemberRosterSource, GridSource, BuildingSource, CompoundSource, CentralHouseholdSource,
  OrgStructureSource, RedPropertySource, AppOrganizationSource, AppMemberSource,
];

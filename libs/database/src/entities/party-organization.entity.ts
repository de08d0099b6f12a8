import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Building } from './building.entity';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { Compound } from './compound.entity';
import { Division } from './division.entity';
import { Grid } from './grid.entity';
import { PropertyCompany } from './property-company.entity';

export const ORGANIZATION_TYPES = ['committee', 'general_branch', 'branch', 'group', 'joint', 'functional'] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number];

export const ORGANIZATION_TAGS = ['community', 'grid', 'building', 'red-property', 'functional', 'new-domain'] as const;
export type OrganizationTag = (typeof ORGANIZATION_TAGS)[number];

/** A party organization, a node of the tree 社区党委 → 网格党支部 → 楼栋党小组, or a functional, red-property or joint one. */
@Entity('party_organization')
export class PartyOrganization extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => PartyOrganization, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: PartyOrganization | null;

  @Column({ type: 'varchar', length: 16 })
  type: OrganizationType;

  @Index('ix_party_organization_tags', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'::text[]" })
  tags: OrganizationTag[];

  /** 中共…委员会 / 中共…支部委员会 */
  // Substring search (API); created by migration ApiReadIndexes as pg_trgm GIN indexes.
  @Index('ix_party_organization_formal_name_trgm', { synchronize: false })
  @Column({ name: 'formal_name', type: 'text', nullable: true })
  formalName: string | null;

  /** …党委 / …党支部 */
  @Index('ix_party_organization_short_name_trgm', { synchronize: false })
  @Column({ name: 'short_name', type: 'text' })
  shortName: string;

  @Index()
  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Index()
  @Column({ name: 'division_code', type: 'varchar', length: 12, nullable: true })
  divisionCode: string | null;

  @ManyToOne(() => Division, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'division_code' })
  division?: Division | null;

  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @ManyToOne(() => Grid, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'grid_id' })
  grid?: Grid | null;

  @Column({ name: 'building_id', type: 'uuid', nullable: true })
  buildingId: string | null;

  @ManyToOne(() => Building, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'building_id' })
  building?: Building | null;

  @Column({ name: 'compound_id', type: 'uuid', nullable: true })
  compoundId: string | null;

  @ManyToOne(() => Compound, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'compound_id' })
  compound?: Compound | null;

  @Column({ name: 'property_company_id', type: 'uuid', nullable: true })
  propertyCompanyId: string | null;

  @ManyToOne(() => PropertyCompany, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'property_company_id' })
  propertyCompany?: PropertyCompany | null;

  /** ISO date; foundedPrecision says whether only the month or year is known ("2019年3月"). */
  @Column({ name: 'founded_on', type: 'date', nullable: true })
  foundedOn: string | null;

  @Column({ name: 'founded_precision', type: 'varchar', length: 5, nullable: true })
  foundedPrecision: 'day' | 'month' | 'year' | null;

  @LineageColumn('party_organization')
  lineage: FieldLineage;
}

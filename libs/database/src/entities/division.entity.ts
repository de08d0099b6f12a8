import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';

export const DIVISION_LEVELS = ['city', 'district', 'street', 'community'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** City → district/banner/county → subdistrict/town → community/village, keyed by the 12-digit statistical code. */
@Entity('division')
@Check('ck_division_code', "code ~ '^[0-9]{12}$'")
@Check('ck_division_level', "level IN ('city', 'district', 'street', 'community')")
export class Division extends Timestamps {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'short_name', type: 'text' })
  shortName: string;

  /** Normalised name used to match the loose names other sources use. */
  @Index()
  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Column({ type: 'varchar', length: 12 })
  level: DivisionLevel;

  @Index()
  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  parentCode: string | null;

  @ManyToOne(() => Division, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_code' })
  parent?: Division | null;

  @Column({ type: 'integer', nullable: true })
  households: number | null;

  @Column({ type: 'integer', nullable: true })
  residents: number | null;

  @Column({ name: 'minority_residents', type: 'integer', nullable: true })
  minorityResidents: number | null;

  @Column({ name: 'community_workers', type: 'integer', nullable: true })
  communityWorkers: number | null;

  /** Counts as the community itself reported them (S6); the registry's own counts come from its entities. */
  @Column({ name: 'reported_grids', type: 'integer', nullable: true })
  reportedGrids: number | null;

  @Column({ name: 'reported_buildings', type: 'integer', nullable: true })
  reportedBuildings: number | null;

  @Column({ name: 'secretary_name', type: 'text', nullable: true })
  secretaryName: string | null;

  /** 'reference:<provenance>' for rows shipped with the product, 'import' for rows first seen in a file. */
  @Column({ type: 'text' })
  provenance: string;

  @LineageColumn('division')
  lineage: FieldLineage;
}

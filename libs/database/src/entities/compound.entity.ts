import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { Division } from './division.entity';
import { PropertyCompany } from './property-company.entity';

/** A residential compound (小区), named within its community. */
@Entity('compound')
@Unique('uq_compound_community_name', ['communityCode', 'nameKey'])
export class Compound extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'community_code', type: 'varchar', length: 12 })
  communityCode: string;

  @ManyToOne(() => Division, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'community_code' })
  community?: Division;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'built_year', type: 'integer', nullable: true })
  builtYear: number | null;

  /** Keys of the names it had before (航苑小区（原老缸房小区）): records naming it so meet it. */
  @Column({ name: 'former_name_keys', type: 'text', array: true, default: () => "'{}'::text[]" })
  formerNameKeys: string[];

  /** The property company (物业) that serves it, as a compound list names it. */
  @Index('ix_compound_property_company')
  @Column({ name: 'property_company_id', type: 'uuid', nullable: true })
  propertyCompanyId: string | null;

  @ManyToOne(() => PropertyCompany, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'property_company_id' })
  propertyCompany?: PropertyCompany | null;

  /** Buildings and households as a compound list declares them (楼栋数, 户数); the registry's own buildings are counted apart. */
  @Column({ name: 'building_count', type: 'integer', nullable: true })
  buildingCount: number | null;

  @Column({ type: 'integer', nullable: true })
  households: number | null;

  @LineageColumn('compound')
  lineage: FieldLineage;
}

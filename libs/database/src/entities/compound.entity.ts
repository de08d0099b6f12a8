import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, Timestamps } from './columns';
import { Division } from './division.entity';

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

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  lineage: FieldLineage;
}

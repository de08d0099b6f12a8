import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { Division } from './division.entity';

/** A grid (网格) of a community, identified within it by its number (第一网格 = 1). */
@Entity('grid')
@Unique('uq_grid_community_number', ['communityCode', 'number'])
export class Grid extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'community_code', type: 'varchar', length: 12 })
  communityCode: string;

  @ManyToOne(() => Division, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'community_code' })
  community?: Division;

  @Column({ type: 'integer' })
  number: number;

  /** The grid platform's own code, when a source gives one. */
  @Index('uq_grid_code', { unique: true, where: 'code IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ type: 'text' })
  name: string;

  @LineageColumn('grid')
  lineage: FieldLineage;
}

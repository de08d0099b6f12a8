import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';
import { Compound } from './compound.entity';
import { Grid } from './grid.entity';

/** A building (楼栋) of a compound; numberKey is the normalised number (10号楼 = 10# = 十号楼 → '10'). */
@Entity('building')
@Unique('uq_building_compound_number', ['compoundId', 'numberKey'])
export class Building extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'compound_id', type: 'uuid' })
  compoundId: string;

  @ManyToOne(() => Compound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'compound_id' })
  compound?: Compound;

  @Column({ name: 'number_key', type: 'text' })
  numberKey: string;

  @Column({ type: 'text' })
  label: string;

  @Index()
  @Column({ name: 'grid_id', type: 'uuid', nullable: true })
  gridId: string | null;

  @ManyToOne(() => Grid, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'grid_id' })
  grid?: Grid | null;

  @Column({ type: 'integer', nullable: true })
  units: number | null;

  @Column({ type: 'integer', nullable: true })
  households: number | null;

  @LineageColumn('building')
  lineage: FieldLineage;
}

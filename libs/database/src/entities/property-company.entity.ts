import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';

/** A property-management company (物业); the 27 red-property branches belong to such companies. */
@Entity('property_company')
export class PropertyCompany extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Index()
  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  /** Unified social credit code (GB 32100); unique when known. */
  @Index('uq_property_company_credit_code', { unique: true, where: 'credit_code IS NOT NULL' })
  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true })
  creditCode: string | null;

  @Column({ name: 'credit_code_valid', type: 'boolean', nullable: true })
  creditCodeValid: boolean | null;

  @LineageColumn('property_company')
  lineage: FieldLineage;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { FieldLineage, LineageColumn, Timestamps } from './columns';

/**
 * A person: party member or role holder. ID numbers and phones are stored encrypted, matched
 * through a keyed hash, and shown masked; partial ID evidence (Excel-damaged or masked IDs) is
 * kept apart and never used as an identity.
 */
@Entity('person')
export class Person extends Timestamps {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  // (name_key text_pattern_ops, birth_date): blocking by name and birth year, one index range per
  // name, not every namesake; name equality; the API's prefix search. Created by migration
  // CompactLineageAndLeanerIndexes, which says which query needs each person index.
  @Index('ix_person_name_key_birth_date', { synchronize: false })
  // Blocking for records that carry a valid ID: they can only meet persons that have none.
  @Index('ix_person_name_key_without_id', { where: 'id_number_hmac IS NULL' })
  @Column({ name: 'name_key', type: 'text' })
  nameKey: string;

  @Index('ix_person_name_pinyin_birth_date', { synchronize: false })
  @Index('ix_person_name_pinyin_without_id', { where: 'id_number_hmac IS NULL' })
  @Column({ name: 'name_pinyin', type: 'text' })
  namePinyin: string;

  @Column({ type: 'char', length: 1, nullable: true })
  gender: 'M' | 'F' | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate: string | null;

  /** 'month' or 'year' when a source gave only 1985.03 or 1985 (birthDate then holds the first day). */
  @Column({ name: 'birth_precision', type: 'varchar', length: 5, nullable: true })
  birthPrecision: 'day' | 'month' | 'year' | null;

  @Column({ name: 'ethnicity_code', type: 'varchar', length: 2, nullable: true })
  ethnicityCode: string | null;

  @Column({ type: 'text', nullable: true })
  education: string | null;

  @Column({ name: 'id_number_cipher', type: 'text', nullable: true })
  idNumberCipher: string | null;

  /** Keyed hash of the valid 18-digit ID: the exact-match key. */
  @Index('uq_person_id_number_hmac', { unique: true, where: 'id_number_hmac IS NOT NULL' })
  @Column({ name: 'id_number_hmac', type: 'varchar', length: 64, nullable: true })
  idNumberHmac: string | null;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 18, nullable: true })
  idNumberMasked: string | null;

  /** Keyed hash of the ID digits any source may show, the region and the last 4 (PiiCipher.idDigitsKey): a blocking key. Never the digits, which beside the birth date give the ID. */
  @Index('ix_person_id_digits')
  @Index('ix_person_id_digits_without_id', { where: 'id_number_hmac IS NULL' })
  @Column({ name: 'id_digits', type: 'varchar', length: 64, nullable: true })
  idDigits: string | null;

  /** Partial ID evidence: { kind: 'damaged'|'masked'|'mistyped', prefix, suffix?, near? }. */
  // A valid ID finds the persons known only by a mistyped form of it through their near misses
  // (GIN over id_evidence->'near', mistyped only); created by migration RecordWarnings.
  @Index('ix_person_id_evidence_near', { synchronize: false })
  @Column({ name: 'id_evidence', type: 'jsonb', nullable: true })
  idEvidence: Record<string, unknown> | null;

  @Column({ name: 'phone_cipher', type: 'text', nullable: true })
  phoneCipher: string | null;

  @Index()
  @Column({ name: 'phone_hmac', type: 'varchar', length: 64, nullable: true })
  phoneHmac: string | null;

  @Column({ name: 'phone_masked', type: 'varchar', length: 16, nullable: true })
  phoneMasked: string | null;

  @Column({ type: 'text', nullable: true })
  workplace: string | null;

  @Column({ type: 'text', nullable: true })
  residence: string | null;

  @LineageColumn('person')
  lineage: FieldLineage;
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Blocking indexes by name and birth date: a record that gives a birth date looks for namesakes
 * born that year (or of unknown birth) with one index range per name, instead of reading every
 * namesake in the registry. The cost of a batch stops growing with the registry's common names.
 */
export class PersonNameBirthBlocking1795576000000 implements MigrationInterface {
  name = 'PersonNameBirthBlocking1795576000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_person_name_key_birth_date" ON "person" ("name_key", "birth_date")`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_pinyin_birth_date" ON "person" ("name_pinyin", "birth_date")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_pinyin_birth_date"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_key_birth_date"`);
  }
}

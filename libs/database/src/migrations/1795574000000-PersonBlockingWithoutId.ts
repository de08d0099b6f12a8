import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Blocking indexes over the persons that have no valid ID. A record that carries a valid ID can
 * only be matched to such a person (a different valid ID is a different person), so its candidate
 * search reads these small indexes instead of every namesake in the registry: the cost of a batch
 * stops growing with the registry's common names.
 */
export class PersonBlockingWithoutId1795574000000 implements MigrationInterface {
  name = 'PersonBlockingWithoutId1795574000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [index, column] of BLOCKING_COLUMNS) {
      await queryRunner.query(`CREATE INDEX "${index}" ON "person" ("${column}") WHERE id_number_hmac IS NULL`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [index] of [...BLOCKING_COLUMNS].reverse()) await queryRunner.query(`DROP INDEX "public"."${index}"`);
  }
}

const BLOCKING_COLUMNS: [string, string][] = [
  ['ix_person_name_key_without_id', 'name_key'],
  ['ix_person_name_pinyin_without_id', 'name_pinyin'],
  ['ix_person_phone_hmac_without_id', 'phone_hmac'],
  ['ix_person_id_digits_without_id', 'id_digits'],
];

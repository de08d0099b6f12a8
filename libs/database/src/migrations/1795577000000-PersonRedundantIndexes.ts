import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops three person indexes that others already serve: a name or its pinyin is found through
 * (name, birth_date) and the text_pattern_ops index, and no query looks a person up by birth date
 * alone. Each index is written on every new person, and an import creates them by the million.
 */
export class PersonRedundantIndexes1795577000000 implements MigrationInterface {
  name = 'PersonRedundantIndexes1795577000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_2c256f4b8bc8abe8b50a3cc8f3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a6856f883b9734aa4a50efc19e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c843e8f63cef41396a75b0bb7d"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_c843e8f63cef41396a75b0bb7d" ON "person" ("birth_date")`);
    await queryRunner.query(`CREATE INDEX "IDX_a6856f883b9734aa4a50efc19e" ON "person" ("name_pinyin")`);
    await queryRunner.query(`CREATE INDEX "IDX_2c256f4b8bc8abe8b50a3cc8f3" ON "person" ("name_key")`);
  }
}

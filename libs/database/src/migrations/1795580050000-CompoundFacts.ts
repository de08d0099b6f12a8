import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a compound list (小区信息) says of a compound beyond its name: the property company that
 * serves it, the buildings and households it declares, and the former names records may still use.
 */
export class CompoundFacts1795580050000 implements MigrationInterface {
  name = 'CompoundFacts1795580050000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "compound" ADD "former_name_keys" text array NOT NULL DEFAULT '{}'::text[]`);
    await queryRunner.query(`ALTER TABLE "compound" ADD "property_company_id" uuid`);
    await queryRunner.query(`ALTER TABLE "compound" ADD "building_count" integer`);
    await queryRunner.query(`ALTER TABLE "compound" ADD "households" integer`);
    await queryRunner.query(`CREATE INDEX "ix_compound_property_company" ON "compound" ("property_company_id") `);
    await queryRunner.query(`ALTER TABLE "compound" ADD CONSTRAINT "FK_839a0fa8a32005408eace7648c5" FOREIGN KEY ("property_company_id") REFERENCES "property_company"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "compound" DROP CONSTRAINT "FK_839a0fa8a32005408eace7648c5"`);
    await queryRunner.query(`DROP INDEX "public"."ix_compound_property_company"`);
    await queryRunner.query(`ALTER TABLE "compound" DROP COLUMN "households"`);
    await queryRunner.query(`ALTER TABLE "compound" DROP COLUMN "building_count"`);
    await queryRunner.query(`ALTER TABLE "compound" DROP COLUMN "property_company_id"`);
    await queryRunner.query(`ALTER TABLE "compound" DROP COLUMN "former_name_keys"`);
  }
}

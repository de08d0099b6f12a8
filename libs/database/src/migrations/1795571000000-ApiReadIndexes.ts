import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the read API's searches need: prefix LIKE on person names and pinyin (text_pattern_ops,
 * since the default collation is not C), substring search on organization names (pg_trgm, a
 * trusted extension), and the role lookups by building and by organization.
 */
export class ApiReadIndexes1795571000000 implements MigrationInterface {
  name = 'ApiReadIndexes1795571000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_key_pattern" ON "person" ("name_key" text_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_pinyin_pattern" ON "person" ("name_pinyin" text_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_party_organization_short_name_trgm" ON "party_organization" USING gin ("short_name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_party_organization_formal_name_trgm" ON "party_organization" USING gin ("formal_name" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_role_assignment_building" ON "role_assignment" ("building_id")`);
    await queryRunner.query(`CREATE INDEX "ix_role_assignment_organization" ON "role_assignment" ("organization_id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_role_assignment_organization"`);
    await queryRunner.query(`DROP INDEX "public"."ix_role_assignment_building"`);
    await queryRunner.query(`DROP INDEX "public"."ix_party_organization_formal_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."ix_party_organization_short_name_trgm"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_pinyin_pattern"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_key_pattern"`);
    // pg_trgm stays: other databases objects may use it, and it is harmless.
  }
}

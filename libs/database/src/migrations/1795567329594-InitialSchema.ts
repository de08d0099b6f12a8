import { MigrationInterface, QueryRunner } from 'typeorm';

// The canonical registry and its import bookkeeping. Generated from the entities, then checked by
// test/migrations.e2e-spec.ts, which fails if entities and migrations ever disagree.

export class InitialSchema1795567329594 implements MigrationInterface {
    name = 'InitialSchema1795567329594'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" character varying(16) NOT NULL, "secret_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_73c82e6a8ac3a48701b2e77f91c" UNIQUE ("name"), CONSTRAINT "UQ_c4f6ccad30c0862eb54af9fb0ac" UNIQUE ("prefix"), CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "api_key_id" uuid, "actor" text NOT NULL, "action" character varying(32) NOT NULL, "entity_type" character varying(24), "entity_id" text, "fields" text array NOT NULL DEFAULT '{}'::text[], "detail" jsonb, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_9ab67a467c6969ee1cf92f2c34" ON "audit_log" ("occurred_at") `);
        await queryRunner.query(`CREATE TABLE "division" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "code" character varying(12) NOT NULL, "name" text NOT NULL, "short_name" text NOT NULL, "name_key" text NOT NULL, "level" character varying(12) NOT NULL, "parent_code" character varying(12), "households" integer, "residents" integer, "minority_residents" integer, "community_workers" integer, "reported_grids" integer, "reported_buildings" integer, "secretary_name" text, "provenance" text NOT NULL, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "ck_division_level" CHECK (level IN ('city', 'district', 'street', 'community')), CONSTRAINT "ck_division_code" CHECK (code ~ '^[0-9]{12}$'), CONSTRAINT "PK_1870649c4e2c6970186e055f3d2" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE INDEX "IDX_b9b48831156c4d66d620303788" ON "division" ("name_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_835a5499ca539e4ed714543788" ON "division" ("parent_code") `);
        await queryRunner.query(`CREATE TABLE "compound" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "community_code" character varying(12) NOT NULL, "name" text NOT NULL, "name_key" text NOT NULL, "address" text, "built_year" integer, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "uq_compound_community_name" UNIQUE ("community_code", "name_key"), CONSTRAINT "PK_7c1ece19d1450b2ada0ad941789" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "grid" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "community_code" character varying(12) NOT NULL, "number" integer NOT NULL, "code" text, "name" text NOT NULL, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "uq_grid_community_number" UNIQUE ("community_code", "number"), CONSTRAINT "PK_fe4aaa758ecdccd442f6b91855a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_grid_code" ON "grid" ("code") WHERE code IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "building" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "compound_id" uuid NOT NULL, "number_key" text NOT NULL, "label" text NOT NULL, "grid_id" uuid, "units" integer, "households" integer, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "uq_building_compound_number" UNIQUE ("compound_id", "number_key"), CONSTRAINT "PK_bbfaf6c11f141a22d2ab105ee5f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5f74de0142ef67ffb4cf8ce9a4" ON "building" ("grid_id") `);
        await queryRunner.query(`CREATE TABLE "change_log" ("seq" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "entity_type" character varying(24) NOT NULL, "entity_id" text NOT NULL, "action" character varying(10) NOT NULL, "batch_id" uuid, "changes" jsonb NOT NULL, "actor" text NOT NULL, CONSTRAINT "PK_8ddf0d4f5f0df5f2ae5a877e3ff" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE INDEX "IDX_36ae4ed0e26ca3c69f0edc5997" ON "change_log" ("batch_id") `);
        await queryRunner.query(`CREATE INDEX "ix_change_log_entity" ON "change_log" ("entity_type", "entity_id") `);
        await queryRunner.query(`CREATE TABLE "import_batch" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_kind" character varying(8), "file_name" text NOT NULL, "file_path" text NOT NULL, "file_sha256" character(64) NOT NULL, "file_bytes" bigint NOT NULL, "status" character varying(12) NOT NULL, "trigger" text NOT NULL, "rows_read" integer NOT NULL DEFAULT '0', "accepted" integer NOT NULL DEFAULT '0', "rejected" integer NOT NULL DEFAULT '0', "skipped" integer NOT NULL DEFAULT '0', "created" integer NOT NULL DEFAULT '0', "matched" integer NOT NULL DEFAULT '0', "updated" integer NOT NULL DEFAULT '0', "review_pending" integer NOT NULL DEFAULT '0', "progress_done" integer NOT NULL DEFAULT '0', "progress_total" integer, "layout" jsonb, "error" text, "same_as_batch_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f408daa3bbc77ffc37eca041312" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_5ed09b37a50f1b57daa32df696" ON "import_batch" ("file_sha256") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_import_batch_completed_file" ON "import_batch" ("file_sha256") WHERE status = 'completed'`);
        await queryRunner.query(`CREATE TABLE "property_company" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "name_key" text NOT NULL, "credit_code" character varying(18), "credit_code_valid" boolean, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_3cb2240ce1994061e5367855b33" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_d99f6afa529bc2e17feea18a0a" ON "property_company" ("name_key") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_property_company_credit_code" ON "property_company" ("credit_code") WHERE credit_code IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "party_organization" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "parent_id" uuid, "type" character varying(16) NOT NULL, "tags" text array NOT NULL DEFAULT '{}'::text[], "formal_name" text, "short_name" text NOT NULL, "name_key" text NOT NULL, "division_code" character varying(12), "grid_id" uuid, "building_id" uuid, "compound_id" uuid, "property_company_id" uuid, "founded_on" date, "founded_precision" character varying(5), "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_7ee88d6b7e93a42a708fa589788" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_8a27519374faac7b234f9c74e8" ON "party_organization" ("parent_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_20d46c983b94f4ee3ed4e4d84e" ON "party_organization" ("name_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_63a4e5c11d15fb629dad11d88d" ON "party_organization" ("division_code") `);
        await queryRunner.query(`CREATE INDEX "ix_party_organization_tags" ON "party_organization" USING gin ("tags")`);
        await queryRunner.query(`CREATE TABLE "person" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "name_key" text NOT NULL, "name_pinyin" text NOT NULL, "gender" character(1), "birth_date" date, "ethnicity_code" character varying(2), "education" text, "id_number_cipher" text, "id_number_hmac" character varying(64), "id_number_masked" character varying(18), "id_evidence" jsonb, "phone_cipher" text, "phone_hmac" character varying(64), "phone_masked" character varying(16), "workplace" text, "residence" text, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_5fdaf670315c4b7e70cce85daa3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_a6856f883b9734aa4a50efc19e" ON "person" ("name_pinyin") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_person_id_number_hmac" ON "person" ("id_number_hmac") WHERE id_number_hmac IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_a77875d91bb4ce582e8f767b61" ON "person" ("phone_hmac") `);
        await queryRunner.query(`CREATE TABLE "membership" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "organization_id" uuid NOT NULL, "category" character varying(12), "status" character varying(12) NOT NULL DEFAULT 'current', "joined_on" date, "regularized_on" date, "ended_on" date, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "uq_membership_person_organization" UNIQUE ("person_id", "organization_id"), CONSTRAINT "PK_83c1afebef3059472e7c37e8de8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_412ffe9391a352e8a4e3dc46f6" ON "membership" ("organization_id") `);
        await queryRunner.query(`CREATE TABLE "source_record" ("id" BIGSERIAL NOT NULL, "batch_id" uuid NOT NULL, "sheet" text, "record_ref" text NOT NULL, "entity_type" character varying(24), "status" character varying(10) NOT NULL, "skip_reason" text, "raw" jsonb NOT NULL, "payload" jsonb, "row_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_source_record_batch_ref" UNIQUE ("batch_id", "record_ref"), CONSTRAINT "PK_23f4fc80099215aaafd658cb88b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_934b522725b6c208337c7ae8d7" ON "source_record" ("row_hash") `);
        await queryRunner.query(`CREATE TABLE "record_link" ("id" BIGSERIAL NOT NULL, "source_record_id" bigint NOT NULL, "entity_type" character varying(24) NOT NULL, "entity_id" text NOT NULL, "role" character varying(24) NOT NULL, "method" character varying(24) NOT NULL, "score" real, CONSTRAINT "PK_6efbde23e83efddb2686d2fd38f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_f3f5c7d03c91f8cc005faf84a2" ON "record_link" ("source_record_id") `);
        await queryRunner.query(`CREATE INDEX "ix_record_link_entity" ON "record_link" ("entity_type", "entity_id") `);
        await queryRunner.query(`CREATE TABLE "rejection" ("id" BIGSERIAL NOT NULL, "batch_id" uuid NOT NULL, "source_record_id" bigint, "sheet" text, "record_ref" text, "column_name" text, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f36d20cccdfe5d62d0608d4cfc" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_7ce86c101925ca0f33d172961b" ON "rejection" ("batch_id") `);
        await queryRunner.query(`CREATE TABLE "role_assignment" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "role" character varying(24) NOT NULL, "organization_id" uuid, "division_code" character varying(12), "grid_id" uuid, "compound_id" uuid, "building_id" uuid, "unit" integer, "address" text, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, CONSTRAINT "PK_7e79671a8a5db18936173148cb4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_3cd38d4874c2cfff2c8eade133" ON "role_assignment" ("person_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_4935b405f1a990fd19533485e0" ON "role_assignment" ("division_code") `);
        await queryRunner.query(`ALTER TABLE "division" ADD CONSTRAINT "FK_835a5499ca539e4ed7145437881" FOREIGN KEY ("parent_code") REFERENCES "division"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "compound" ADD CONSTRAINT "FK_8e8825cae06e0c9be97133d83c8" FOREIGN KEY ("community_code") REFERENCES "division"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "grid" ADD CONSTRAINT "FK_26bcb5ef55f3fe3336ddc9c2078" FOREIGN KEY ("community_code") REFERENCES "division"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "building" ADD CONSTRAINT "FK_9c1e2087af94e3ee47960c5a947" FOREIGN KEY ("compound_id") REFERENCES "compound"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "building" ADD CONSTRAINT "FK_5f74de0142ef67ffb4cf8ce9a40" FOREIGN KEY ("grid_id") REFERENCES "grid"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_8a27519374faac7b234f9c74e8d" FOREIGN KEY ("parent_id") REFERENCES "party_organization"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_63a4e5c11d15fb629dad11d88dd" FOREIGN KEY ("division_code") REFERENCES "division"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_7fb02a38a93771a68a77a8c1e1b" FOREIGN KEY ("grid_id") REFERENCES "grid"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_a7991e792a2fc7f90d634663b25" FOREIGN KEY ("building_id") REFERENCES "building"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_a3ee6336e5bb675702a41232aa6" FOREIGN KEY ("compound_id") REFERENCES "compound"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "party_organization" ADD CONSTRAINT "FK_1cb800abf71d7350870fc2c5df4" FOREIGN KEY ("property_company_id") REFERENCES "property_company"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "membership" ADD CONSTRAINT "FK_6fc5e2153171bbeb54f4fda6595" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "membership" ADD CONSTRAINT "FK_412ffe9391a352e8a4e3dc46f6f" FOREIGN KEY ("organization_id") REFERENCES "party_organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "source_record" ADD CONSTRAINT "FK_6b349aa00d7687a270a8a2bdb64" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "record_link" ADD CONSTRAINT "FK_f3f5c7d03c91f8cc005faf84a27" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "rejection" ADD CONSTRAINT "FK_7ce86c101925ca0f33d172961b6" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "rejection" ADD CONSTRAINT "FK_0904127b5a7481bc6e566d2ef13" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_3cd38d4874c2cfff2c8eade1338" FOREIGN KEY ("person_id") REFERENCES "person"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_8e89ea4424da622e1dd2a39b285" FOREIGN KEY ("organization_id") REFERENCES "party_organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_4935b405f1a990fd19533485e07" FOREIGN KEY ("division_code") REFERENCES "division"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_f10029b160cc0deffb537c5da2a" FOREIGN KEY ("grid_id") REFERENCES "grid"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_f3c7da34cc4ef225bc014271557" FOREIGN KEY ("compound_id") REFERENCES "compound"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "role_assignment" ADD CONSTRAINT "FK_0ad5c4cb5d158e4f0d0a3d14fcb" FOREIGN KEY ("building_id") REFERENCES "building"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_party_organization_tags"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_0ad5c4cb5d158e4f0d0a3d14fcb"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_f3c7da34cc4ef225bc014271557"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_f10029b160cc0deffb537c5da2a"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_4935b405f1a990fd19533485e07"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_8e89ea4424da622e1dd2a39b285"`);
        await queryRunner.query(`ALTER TABLE "role_assignment" DROP CONSTRAINT "FK_3cd38d4874c2cfff2c8eade1338"`);
        await queryRunner.query(`ALTER TABLE "rejection" DROP CONSTRAINT "FK_0904127b5a7481bc6e566d2ef13"`);
        await queryRunner.query(`ALTER TABLE "rejection" DROP CONSTRAINT "FK_7ce86c101925ca0f33d172961b6"`);
        await queryRunner.query(`ALTER TABLE "record_link" DROP CONSTRAINT "FK_f3f5c7d03c91f8cc005faf84a27"`);
        await queryRunner.query(`ALTER TABLE "source_record" DROP CONSTRAINT "FK_6b349aa00d7687a270a8a2bdb64"`);
        await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "FK_412ffe9391a352e8a4e3dc46f6f"`);
        await queryRunner.query(`ALTER TABLE "membership" DROP CONSTRAINT "FK_6fc5e2153171bbeb54f4fda6595"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_1cb800abf71d7350870fc2c5df4"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_a3ee6336e5bb675702a41232aa6"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_a7991e792a2fc7f90d634663b25"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_7fb02a38a93771a68a77a8c1e1b"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_63a4e5c11d15fb629dad11d88dd"`);
        await queryRunner.query(`ALTER TABLE "party_organization" DROP CONSTRAINT "FK_8a27519374faac7b234f9c74e8d"`);
        await queryRunner.query(`ALTER TABLE "building" DROP CONSTRAINT "FK_5f74de0142ef67ffb4cf8ce9a40"`);
        await queryRunner.query(`ALTER TABLE "building" DROP CONSTRAINT "FK_9c1e2087af94e3ee47960c5a947"`);
        await queryRunner.query(`ALTER TABLE "grid" DROP CONSTRAINT "FK_26bcb5ef55f3fe3336ddc9c2078"`);
        await queryRunner.query(`ALTER TABLE "compound" DROP CONSTRAINT "FK_8e8825cae06e0c9be97133d83c8"`);
        await queryRunner.query(`ALTER TABLE "division" DROP CONSTRAINT "FK_835a5499ca539e4ed7145437881"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4935b405f1a990fd19533485e0"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3cd38d4874c2cfff2c8eade133"`);
        await queryRunner.query(`DROP TABLE "role_assignment"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_7ce86c101925ca0f33d172961b"`);
        await queryRunner.query(`DROP TABLE "rejection"`);
        await queryRunner.query(`DROP INDEX "public"."ix_record_link_entity"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f3f5c7d03c91f8cc005faf84a2"`);
        await queryRunner.query(`DROP TABLE "record_link"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_934b522725b6c208337c7ae8d7"`);
        await queryRunner.query(`DROP TABLE "source_record"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_412ffe9391a352e8a4e3dc46f6"`);
        await queryRunner.query(`DROP TABLE "membership"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a77875d91bb4ce582e8f767b61"`);
        await queryRunner.query(`DROP INDEX "public"."uq_person_id_number_hmac"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a6856f883b9734aa4a50efc19e"`);
        await queryRunner.query(`DROP TABLE "person"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_63a4e5c11d15fb629dad11d88d"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_20d46c983b94f4ee3ed4e4d84e"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_8a27519374faac7b234f9c74e8"`);
        await queryRunner.query(`DROP TABLE "party_organization"`);
        await queryRunner.query(`DROP INDEX "public"."uq_property_company_credit_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d99f6afa529bc2e17feea18a0a"`);
        await queryRunner.query(`DROP TABLE "property_company"`);
        await queryRunner.query(`DROP INDEX "public"."uq_import_batch_completed_file"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5ed09b37a50f1b57daa32df696"`);
        await queryRunner.query(`DROP TABLE "import_batch"`);
        await queryRunner.query(`DROP INDEX "public"."ix_change_log_entity"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_36ae4ed0e26ca3c69f0edc5997"`);
        await queryRunner.query(`DROP TABLE "change_log"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5f74de0142ef67ffb4cf8ce9a4"`);
        await queryRunner.query(`DROP TABLE "building"`);
        await queryRunner.query(`DROP INDEX "public"."uq_grid_code"`);
        await queryRunner.query(`DROP TABLE "grid"`);
        await queryRunner.query(`DROP TABLE "compound"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_835a5499ca539e4ed714543788"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_b9b48831156c4d66d620303788"`);
        await queryRunner.query(`DROP TABLE "division"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_9ab67a467c6969ee1cf92f2c34"`);
        await queryRunner.query(`DROP TABLE "audit_log"`);
        await queryRunner.query(`DROP TABLE "api_key"`);
    }

}

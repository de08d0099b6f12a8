import { MigrationInterface, QueryRunner } from "typeorm";

export class ReviewTasksAndExternalRefs1795568070430 implements MigrationInterface {
    name = 'ReviewTasksAndExternalRefs1795568070430'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "external_ref" ("system" character varying(8) NOT NULL, "entity_type" character varying(24) NOT NULL, "external_id" text NOT NULL, "entity_id" text NOT NULL, CONSTRAINT "PK_5e5bbbbc7bf9bb6be96d37e20f2" PRIMARY KEY ("system", "entity_type", "external_id"))`);
        await queryRunner.query(`CREATE INDEX "ix_external_ref_entity" ON "external_ref" ("entity_type", "entity_id") `);
        await queryRunner.query(`CREATE TABLE "review_task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(20) NOT NULL, "entity_type" character varying(24) NOT NULL, "left_id" text NOT NULL, "right_id" text NOT NULL, "decision_key" character varying(64) NOT NULL, "score" real, "evidence" jsonb NOT NULL DEFAULT '[]'::jsonb, "summary" text NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'open', "batch_id" uuid, "source_record_id" bigint, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_417cdf7a6b912e03d40c5f03518" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6678808594d269f4eed50fe64b" ON "review_task" ("left_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_181138b6bd293ada2780b934b5" ON "review_task" ("right_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_3476b242c16a56203062bca618" ON "review_task" ("decision_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_5f3caf66c8a282f033143cee3c" ON "review_task" ("status") `);
        await queryRunner.query(`CREATE INDEX "IDX_2ba06092d4d8b0ab442baf2ce1" ON "review_task" ("batch_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_review_task_open_question" ON "review_task" ("decision_key") WHERE status = 'open'`);
        await queryRunner.query(`ALTER TABLE "person" ADD "birth_precision" character varying(5)`);
        await queryRunner.query(`ALTER TABLE "person" ADD "id_digits" character varying(10)`);
        await queryRunner.query(`CREATE INDEX "ix_person_id_digits" ON "person" ("id_digits") `);
        await queryRunner.query(`ALTER TABLE "import_batch" ADD "format" character varying(8)`);
        await queryRunner.query(`ALTER TABLE "membership" ADD "joined_precision" character varying(5)`);
        await queryRunner.query(`ALTER TABLE "import_batch" ADD "columns" jsonb`);
        await queryRunner.query(`CREATE INDEX "IDX_2c256f4b8bc8abe8b50a3cc8f3" ON "person" ("name_key") `);
        await queryRunner.query(`CREATE INDEX "IDX_c843e8f63cef41396a75b0bb7d" ON "person" ("birth_date") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_c843e8f63cef41396a75b0bb7d"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2c256f4b8bc8abe8b50a3cc8f3"`);
        await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "birth_precision"`);
        await queryRunner.query(`DROP INDEX "public"."ix_person_id_digits"`);
        await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "id_digits"`);
        await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "columns"`);
        await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "format"`);
        await queryRunner.query(`ALTER TABLE "membership" DROP COLUMN "joined_precision"`);
        await queryRunner.query(`DROP INDEX "public"."uq_review_task_open_question"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2ba06092d4d8b0ab442baf2ce1"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5f3caf66c8a282f033143cee3c"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_3476b242c16a56203062bca618"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_181138b6bd293ada2780b934b5"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6678808594d269f4eed50fe64b"`);
        await queryRunner.query(`DROP TABLE "review_task"`);
        await queryRunner.query(`DROP INDEX "public"."ix_external_ref_entity"`);
        await queryRunner.query(`DROP TABLE "external_ref"`);
    }

}

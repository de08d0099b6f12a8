import { MigrationInterface, QueryRunner } from "typeorm";

export class EntityMergeAndReviewNotes1795570000000 implements MigrationInterface {
    name = 'EntityMergeAndReviewNotes1795570000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "entity_merge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entity_type" character varying(24) NOT NULL, "survivor_id" text NOT NULL, "merged_id" text NOT NULL, "merged_by" text NOT NULL, "review_task_id" uuid, "note" text, "undo" jsonb NOT NULL, "merged_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "unmerged_at" TIMESTAMP WITH TIME ZONE, "unmerged_by" text, CONSTRAINT "PK_d17b9ce306a6aaba2eeec9b4cec" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_entity_merge_merged" ON "entity_merge" ("entity_type", "merged_id") `);
        await queryRunner.query(`CREATE INDEX "ix_entity_merge_survivor" ON "entity_merge" ("entity_type", "survivor_id") `);
        await queryRunner.query(`ALTER TABLE "review_task" ADD "note" text`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "review_task" DROP COLUMN "note"`);
        await queryRunner.query(`DROP INDEX "public"."ix_entity_merge_survivor"`);
        await queryRunner.query(`DROP INDEX "public"."ix_entity_merge_merged"`);
        await queryRunner.query(`DROP TABLE "entity_merge"`);
    }
}

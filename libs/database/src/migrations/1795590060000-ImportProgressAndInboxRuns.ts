import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An import's progress by phase (reading the file's bytes, then matching and merging its records)
 * with the time the phase began, so that a client can show a bar and the time left in every phase;
 * and the passes of scheduled inboxes, so that people can see when each ran and what it took.
 */
export class ImportProgressAndInboxRuns1795590060000 implements MigrationInterface {
  name = 'ImportProgressAndInboxRuns1795590060000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "progress_phase" character varying(10)`);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "progress_phase_started_at" TIMESTAMP WITH TIME ZONE`);
    // Bytes of a file past 2 GiB do not fit an integer.
    await queryRunner.query(`ALTER TABLE "import_batch" ALTER COLUMN "progress_done" TYPE bigint`);
    await queryRunner.query(`ALTER TABLE "import_batch" ALTER COLUMN "progress_total" TYPE bigint`);
    await queryRunner.query(`CREATE TABLE "inbox_run" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inbox" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(12) NOT NULL, "files" jsonb NOT NULL DEFAULT '[]'::jsonb, "error" text, CONSTRAINT "PK_0dfd23b2c7452efd2ab3f2c9eed" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_inbox_run_inbox_started" ON "inbox_run" ("inbox", "started_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_inbox_run_inbox_started"`);
    await queryRunner.query(`DROP TABLE "inbox_run"`);
    await queryRunner.query(`ALTER TABLE "import_batch" ALTER COLUMN "progress_total" TYPE integer`);
    await queryRunner.query(`ALTER TABLE "import_batch" ALTER COLUMN "progress_done" TYPE integer`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "progress_phase_started_at"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "progress_phase"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attempts per batch, counted in PostgreSQL: a file that kills the worker every time it is read
 * leaves no trace in BullMQ (the job simply stalls), so the recovery sweep needs its own count to
 * stop queueing it again.
 */
export class ImportBatchAttempts1795580010000 implements MigrationInterface {
  name = 'ImportBatchAttempts1795580010000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "attempts" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "last_attempt_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "last_attempt_at"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "attempts"`);
  }
}

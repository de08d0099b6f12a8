import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch rollback: memberships and role assignments record every batch whose records claimed them
 * (so a rollback removes only what no other batch still claims), and a batch records when and by
 * whom it was rolled back. Existing rows are backfilled with the batches their lineage names.
 */
export class BatchRollback1795572000000 implements MigrationInterface {
  name = 'BatchRollback1795572000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "membership" ADD "batch_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "role_assignment" ADD "batch_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "rolled_back_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "rolled_back_by" text`);
    for (const table of ['membership', 'role_assignment']) {
      await queryRunner.query(`
        UPDATE "${table}" t SET batch_ids = ARRAY(SELECT DISTINCT (e.value->>'batchId')::uuid FROM jsonb_each(t.lineage) e WHERE e.value ? 'batchId')`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "rolled_back_by"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "rolled_back_at"`);
    await queryRunner.query(`ALTER TABLE "role_assignment" DROP COLUMN "batch_ids"`);
    await queryRunner.query(`ALTER TABLE "membership" DROP COLUMN "batch_ids"`);
  }
}

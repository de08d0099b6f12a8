import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per batch, what became of each sheet: imported as which kind with which columns used and ignored
 * (and why), or skipped or refused with the reason. Nothing a file holds is dropped without a word.
 */
export class ImportSheets1795580040000 implements MigrationInterface {
  name = 'ImportSheets1795580040000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "sheets" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "sheets"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rejection's or warning's reason as a code and its parameters (libs/reasons), besides its English
 * text: the quality report and the workbench say it in Chinese from the code. Rows stored before stay
 * without a code and are shown with their stored English.
 */
export class ReasonCodes1795590500000 implements MigrationInterface {
  name = 'ReasonCodes1795590500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['rejection', 'record_warning']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "reason_code" text`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "reason_params" jsonb`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['record_warning', 'rejection']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "reason_params"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "reason_code"`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class SourceRecordBatchOrder1795569500000 implements MigrationInterface {
  name = 'SourceRecordBatchOrder1795569500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_source_record_batch_order" ON "source_record" ("batch_id", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_source_record_batch_order"`);
  }
}

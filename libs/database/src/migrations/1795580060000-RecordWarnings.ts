import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Warnings about rows an import applied all the same (unreadable cells flagged, an ID under another
 * name) and their count per batch; and the index through which a valid ID finds the persons known
 * only by a mistyped form of it (the keyed hashes of its near misses).
 */
export class RecordWarnings1795580060000 implements MigrationInterface {
  name = 'RecordWarnings1795580060000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "record_warning" ("id" BIGSERIAL NOT NULL, "batch_id" uuid NOT NULL, "source_record_id" bigint NOT NULL, "sheet" text, "record_ref" text NOT NULL, "column_name" text, "reason" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bfb2d0b9e4c57126031353d06fa" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_3837fad81ab38f7a14974d9cb0" ON "record_warning" ("batch_id") `);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "warnings" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "record_warning" ADD CONSTRAINT "FK_3837fad81ab38f7a14974d9cb0c" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "record_warning" ADD CONSTRAINT "FK_834b4948500354165aa09683cc0" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE INDEX "ix_person_id_evidence_near" ON "person" USING gin (("id_evidence" -> 'near')) WHERE "id_evidence" ->> 'kind' = 'mistyped'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_person_id_evidence_near"`);
    await queryRunner.query(`ALTER TABLE "record_warning" DROP CONSTRAINT "FK_834b4948500354165aa09683cc0"`);
    await queryRunner.query(`ALTER TABLE "record_warning" DROP CONSTRAINT "FK_3837fad81ab38f7a14974d9cb0c"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "warnings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3837fad81ab38f7a14974d9cb0"`);
    await queryRunner.query(`DROP TABLE "record_warning"`);
  }
}

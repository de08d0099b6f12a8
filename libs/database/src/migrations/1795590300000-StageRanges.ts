import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A large CSV file is staged in byte ranges by several jobs: each range's place in the file, the ids
 * reserved for its rows and what it came to (stage_range), and on the batch the stage's run (so the
 * jobs of a stage started over write nothing more) and the ranges left (the last one hands over).
 */
export class StageRanges1795590300000 implements MigrationInterface {
  name = 'StageRanges1795590300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "stage_run" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "import_batch" ADD "stage_ranges_left" integer`);
    await queryRunner.query(`CREATE TABLE "stage_range" ("batch_id" uuid NOT NULL, "no" integer NOT NULL, "run" integer NOT NULL, "byte_start" bigint NOT NULL, "byte_end" bigint NOT NULL, "first_line" integer NOT NULL, "ids" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "bytes_read" bigint NOT NULL DEFAULT '0', "counts" jsonb, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_stage_range" PRIMARY KEY ("batch_id", "no"))`);
    await queryRunner.query(`ALTER TABLE "stage_range" ADD CONSTRAINT "FK_2a8fe4d3ec8e7860328ead7c495" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "stage_range"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "stage_ranges_left"`);
    await queryRunner.query(`ALTER TABLE "import_batch" DROP COLUMN "stage_run"`);
  }
}

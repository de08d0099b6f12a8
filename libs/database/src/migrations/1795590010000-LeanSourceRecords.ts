import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A source record keeps its raw cells as text[] in column order, and the header naming them once
 * per batch and sheet (source_header), instead of a JSON object that repeated every header name on
 * every row. Existing rows are converted: a sheet's header becomes the union of the names its rows
 * held (JSON kept no column order, so in name order), each row its cells under that header.
 */
export class LeanSourceRecords1795590010000 implements MigrationInterface {
  name = 'LeanSourceRecords1795590010000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "source_header" ("batch_id" uuid NOT NULL, "no" integer NOT NULL, "headers" text array NOT NULL, CONSTRAINT "PK_source_header" PRIMARY KEY ("batch_id", "no"))`);
    await queryRunner.query(`ALTER TABLE "source_header" ADD CONSTRAINT "FK_47959865782e852ddf51850d999" FOREIGN KEY ("batch_id") REFERENCES "import_batch"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`CREATE TEMPORARY TABLE "lean_header" AS
      SELECT r.batch_id, r.sheet, (row_number() OVER (PARTITION BY r.batch_id ORDER BY r.sheet NULLS FIRST) - 1)::integer AS no,
             coalesce(array_agg(DISTINCT k.name ORDER BY k.name) FILTER (WHERE k.name IS NOT NULL), '{}') AS headers
        FROM source_record r LEFT JOIN LATERAL jsonb_object_keys(r.raw) AS k(name) ON true
       GROUP BY r.batch_id, r.sheet`);
    await queryRunner.query(`INSERT INTO "source_header" ("batch_id", "no", "headers") SELECT batch_id, no, headers FROM "lean_header"`);
    await queryRunner.query(`ALTER TABLE "source_record" ADD "header_no" integer, ADD "cells" text array`);
    await queryRunner.query(`UPDATE "source_record" r SET header_no = h.no,
             cells = ARRAY(SELECT r.raw ->> u.name FROM unnest(h.headers) WITH ORDINALITY AS u(name, i) ORDER BY u.i)
        FROM "lean_header" h WHERE h.batch_id = r.batch_id AND h.sheet IS NOT DISTINCT FROM r.sheet`);
    await queryRunner.query(`DROP TABLE "lean_header"`);
    await queryRunner.query(`ALTER TABLE "source_record" DROP COLUMN "raw"`);
    await queryRunner.query(`ALTER TABLE "source_record" RENAME COLUMN "cells" TO "raw"`);
    await queryRunner.query(`ALTER TABLE "source_record" ALTER COLUMN "raw" SET NOT NULL, ALTER COLUMN "header_no" SET NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "source_record" ADD "raw_json" jsonb`);
    await queryRunner.query(`UPDATE "source_record" r SET raw_json = coalesce((
        SELECT jsonb_object_agg(coalesce(nullif(h.headers[u.i], ''), 'column ' || u.i), u.cell)
          FROM unnest(r.raw) WITH ORDINALITY AS u(cell, i) LEFT JOIN "source_header" h ON h.batch_id = r.batch_id AND h.no = r.header_no
         WHERE u.cell IS NOT NULL AND u.cell <> ''), '{}')`);
    await queryRunner.query(`ALTER TABLE "source_record" DROP COLUMN "raw", DROP COLUMN "header_no"`);
    await queryRunner.query(`ALTER TABLE "source_record" RENAME COLUMN "raw_json" TO "raw"`);
    await queryRunner.query(`ALTER TABLE "source_record" ALTER COLUMN "raw" SET NOT NULL`);
    await queryRunner.query(`DROP TABLE "source_header"`);
  }
}

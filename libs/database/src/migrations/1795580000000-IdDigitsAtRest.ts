import { MigrationInterface, QueryRunner } from 'typeorm';

/** A masked ID of the old form inside JSON text, "150105********123X": its region is kept. */
const OLD_MASK_IN_JSON = `'"(\\d{6})\\*{5,8}[0-9Xx*]{4}"'`;
/** A damaged ID's prefix beyond its birth date (15 digits and more), inside JSON text: cut to 14. */
const LONG_PREFIX_IN_JSON = `'"prefix": "(\\d{14})\\d+"'`;

/**
 * Nothing at rest rebuilds an ID number together with the birth date (issue 16, finding 2).
 * Masked IDs keep their region only (150105************) in the person, the raw rows, the staged
 * payloads, the change feed and merge undo records; partial evidence keeps at most region and
 * birth date. The visible last 4 digits (person.id_digits, evidence suffixes) become keyed hashes,
 * which needs the personal-data key: TypeORM migrations have no access to the application's
 * cipher, so `qingcheng db migrate` runs that step right after this one (convertIdDigitsAtRest in
 * @qc/registry), on the rows this migration leaves with digits in clear.
 */
export class IdDigitsAtRest1795580000000 implements MigrationInterface {
  name = 'IdDigitsAtRest1795580000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" ALTER COLUMN "id_digits" TYPE character varying(64)`);
    await queryRunner.query(`UPDATE person SET id_number_masked = left(id_number_masked, 6) || repeat('*', 12) WHERE id_number_masked IS NOT NULL`);
    await queryRunner.query(`UPDATE person SET id_evidence = regexp_replace(id_evidence::text, ${LONG_PREFIX_IN_JSON}, '"prefix": "\\1"', 'g')::jsonb
                              WHERE id_evidence::text ~ ${LONG_PREFIX_IN_JSON}`);
    for (const [table, column] of [['source_record', 'raw'], ['source_record', 'payload'], ['change_log', 'changes'], ['entity_merge', 'undo']]) {
      await queryRunner.query(`UPDATE ${table} SET ${column} = regexp_replace(regexp_replace(${column}::text, ${OLD_MASK_IN_JSON}, '"\\1************"', 'g'),
                                 ${LONG_PREFIX_IN_JSON}, '"prefix": "\\1"', 'g')::jsonb
                                WHERE ${column}::text ~ ${OLD_MASK_IN_JSON} OR ${column}::text ~ ${LONG_PREFIX_IN_JSON}`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The hidden digits are gone for good; only the column's width goes back (keyed hashes are cleared to fit).
    await queryRunner.query(`UPDATE person SET id_digits = NULL WHERE length(id_digits) > 10`);
    await queryRunner.query(`ALTER TABLE "person" ALTER COLUMN "id_digits" TYPE character varying(10)`);
  }
}

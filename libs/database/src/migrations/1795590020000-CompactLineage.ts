import { MigrationInterface, QueryRunner } from 'typeorm';
import { LINEAGE_FIELDS, LineageTable } from '../entities/columns';

/** The lineage of every golden-record table, as jsonb before this migration. */
const TABLES = Object.keys(LINEAGE_FIELDS) as LineageTable[];
const SOURCES = `ARRAY['S1', 'S2', 'S3', 'S4', 'S5', 'S6']`;

/**
 * Per-field lineage from a JSON object per row ({field: {sourceRecordId, batchId, source}}) to one
 * bigint[] slot per field, record id << 3 | source code, in the fixed order of LINEAGE_FIELDS (see
 * LineageCodec); batch, file and row are joined from the record on read. Those lists are append only,
 * so this migration reads them as they will stay. A field the lists do not name stops it: nothing is
 * dropped silently.
 */
export class CompactLineage1795590020000 implements MigrationInterface {
  name = 'CompactLineage1795590020000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION pg_temp.qc_lineage_slot(e jsonb) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT AS $$
      DECLARE code int := array_position(${SOURCES}, e->>'source');
      BEGIN
        IF coalesce(e->>'source', '') <> '' AND code IS NULL THEN RAISE EXCEPTION 'lineage names an unknown source: %', e->>'source'; END IF;
        RETURN (e->>'sourceRecordId')::bigint * 8 + coalesce(code, 0);
      END $$`);
    for (const table of TABLES) {
      const fields: readonly string[] = LINEAGE_FIELDS[table];
      const unknown: { field: string }[] = await queryRunner.query(
        `SELECT DISTINCT k AS field FROM ${table}, jsonb_object_keys(lineage) k WHERE k <> ALL($1::text[])`, [fields]);
      if (unknown.length > 0) throw new Error(`${table}: lineage of fields without a slot: ${unknown.map((u) => u.field).join(', ')}`);
      const slots = fields.map((f) => `pg_temp.qc_lineage_slot(lineage -> '${f}')`).join(', ');
      // NULL is no lineage (see LineageColumn for why there is no default).
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN lineage DROP DEFAULT, ALTER COLUMN lineage DROP NOT NULL`);
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN lineage TYPE bigint[] USING nullif(ARRAY[${slots}]::bigint[], '{${Array(fields.length).fill('NULL').join(',')}}')`);
    }
    await queryRunner.query(`DROP FUNCTION pg_temp.qc_lineage_slot(jsonb)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION pg_temp.qc_lineage_json(slots bigint[], fields text[]) RETURNS jsonb LANGUAGE sql STABLE AS $$
        SELECT coalesce(jsonb_object_agg(fields[e.at], jsonb_strip_nulls(jsonb_build_object(
                 'sourceRecordId', (e.slot >> 3)::text,
                 'batchId', (SELECT r.batch_id::text FROM source_record r WHERE r.id = e.slot >> 3),
                 'source', (${SOURCES})[e.slot & 7]))), '{}'::jsonb)
          FROM unnest(slots) WITH ORDINALITY AS e(slot, at) WHERE e.slot IS NOT NULL $$`);
    for (const table of TABLES) {
      const fields = `ARRAY[${LINEAGE_FIELDS[table].map((f) => `'${f}'`).join(', ')}]::text[]`;
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN lineage TYPE jsonb USING pg_temp.qc_lineage_json(lineage, ${fields})`);
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN lineage SET DEFAULT '{}'::jsonb, ALTER COLUMN lineage SET NOT NULL`);
    }
    await queryRunner.query(`DROP FUNCTION pg_temp.qc_lineage_json(bigint[], text[])`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { LINEAGE_FIELDS, LineageTable } from '../entities/columns';

/** Every golden-record table: each has a lineage column, jsonb before this migration. */
const TABLES = Object.keys(LINEAGE_FIELDS) as LineageTable[];
const SOURCES = `ARRAY['S1', 'S2', 'S3', 'S4', 'S5', 'S6']`;

/**
 * Two changes to the tables an import fills row by row.
 *
 * 1. Per-field lineage from a JSON object per row ({field: {sourceRecordId, batchId, source}}) to one
 * bigint[] slot per field, record id << 3 | source code, in the fixed order of LINEAGE_FIELDS (see
 * LineageCodec); batch, file and row are joined from the record on read. Those lists are append only,
 * so this migration reads them as they will stay. A field the lists do not name stops it: nothing is
 * dropped silently.
 *
 * 2. Indexes: each one left on the hot tables is there for a query named below (EXPLAINed on a
 * registry of 100,000 generated members); the others go.
 *  person
 *   - primary key: every read by id.
 *   - uq_person_id_number_hmac (partial, IS NOT NULL): exact match on the keyed ID hash (matcher),
 *     GET /v1/persons?idNumber, golden rebuild's "ID held by another person"; and one ID, one person.
 *   - phone_hmac: the matcher's phone block for records without a valid ID, phoneOnRecord (role holders).
 *   - ix_person_id_digits: ID-digits block for records without a valid ID (a masked ID meets a full one).
 *   - ix_person_id_digits_without_id (partial): the same block for records with a valid ID, which can
 *     only meet persons without one; the 2 (at 100k persons) to 20 (at 1M) holders of a value would each cost a heap visit
 *     through the full index, and it holds only ID-less persons, so it costs nothing on their writes.
 *   - ix_person_name_key_birth_date, ix_person_name_pinyin_birth_date, now (key text_pattern_ops,
 *     birth_date): name + birth-year blocks (one range per name and year), the undated name blocks,
 *     namedHolder's name-or-pinyin lookup, and the API's prefix search (LIKE 'key%', which needs
 *     pattern ops: the database collation is not C). They replace the separate text_pattern_ops
 *     indexes, which served only the last three and were written for every person.
 *   - ix_person_name_key_without_id, ix_person_name_pinyin_without_id (partial): undated name blocks
 *     of records with a valid ID, without walking every namesake that has one; empty when all have one.
 *   - ix_person_id_evidence_near (GIN, mistyped only): a valid ID finds the persons known by a mistyped form.
 *   - dropped: ix_person_phone_hmac_without_id. The phone block of records with a valid ID reads the
 *     full phone index and checks the one or two holders of a phone (or, while few persons lack an
 *     ID, the ID-less id_digits index); the partial one saved nothing.
 *  membership: primary key (updates by id); uq (person_id, organization_id): one membership per pair,
 *   and every read by person (matcher, API person view, golden rebuild); organization_id: API persons
 *   of an organization, reports, merges of organizations.
 *  record_link: primary key (links export paging, unmerge by link id); source_record_id: same-record
 *   lookup, rollback, red-property references; (entity_type, entity_id): lineage, golden rebuild,
 *   rollback's "still described", merges.
 *  source_record: primary key; row_hash: the same unchanged row seen before (matcher); (batch_id, id):
 *   the merge's and rollback's reads of a batch in order; uq (batch_id, record_ref): one record per row
 *   of a batch, the guard of the stage's accounting (rows = accepted + rejected + skipped).
 *  change_log: primary key seq (the feed, keyset by seq); batch_id (rollback reads a batch's entries).
 *   dropped: ix_change_log_entity (entity_type, entity_id): no query reads the feed by entity, and it
 *   was the largest index of the table, written twice per imported row.
 *  party_organization (thousands of rows, none dropped): name_key (the organization a name designates),
 *   division_code (API and reports by division), parent_id (children, subtree, and the RESTRICT check
 *   when a parent goes), trigram short/formal name (API substring search), tags GIN (API tag filter).
 */
export class CompactLineageAndLeanerIndexes1795590020000 implements MigrationInterface {
  name = 'CompactLineageAndLeanerIndexes1795590020000';

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

    await queryRunner.query(`DROP INDEX "public"."ix_person_name_key_pattern"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_pinyin_pattern"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_key_birth_date"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_pinyin_birth_date"`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_key_birth_date" ON "person" ("name_key" text_pattern_ops, "birth_date")`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_pinyin_birth_date" ON "person" ("name_pinyin" text_pattern_ops, "birth_date")`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_phone_hmac_without_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_change_log_entity"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_change_log_entity" ON "change_log" ("entity_type", "entity_id")`);
    await queryRunner.query(`CREATE INDEX "ix_person_phone_hmac_without_id" ON "person" ("phone_hmac") WHERE id_number_hmac IS NULL`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_pinyin_birth_date"`);
    await queryRunner.query(`DROP INDEX "public"."ix_person_name_key_birth_date"`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_pinyin_birth_date" ON "person" ("name_pinyin", "birth_date")`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_key_birth_date" ON "person" ("name_key", "birth_date")`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_pinyin_pattern" ON "person" ("name_pinyin" text_pattern_ops)`);
    await queryRunner.query(`CREATE INDEX "ix_person_name_key_pattern" ON "person" ("name_key" text_pattern_ops)`);

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

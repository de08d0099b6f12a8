import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One link row per source record instead of one per (record, entity, role): the subject, with the
 * organization a record names in the same row, and any other reference in record_reference; the
 * view record_link_entry lists both the old way. Manual merges remember what they moved by the new
 * keys. The change feed keeps no values for creates (the API reads them from the entity when it
 * serves the entry), and no actor where the entry's batch is the actor.
 */
export class NarrowLinksAndFeed1795590050000 implements MigrationInterface {
  name = 'NarrowLinksAndFeed1795590050000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "record_link" DROP CONSTRAINT "FK_f3f5c7d03c91f8cc005faf84a27"`);
    await queryRunner.query(`DROP INDEX "public"."ix_record_link_entity"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_f3f5c7d03c91f8cc005faf84a2"`);
    await queryRunner.query(`ALTER TABLE "record_link" DROP CONSTRAINT "PK_6efbde23e83efddb2686d2fd38f"`);
    await queryRunner.query(`ALTER TABLE "record_link" RENAME TO "record_link_old"`);
    await queryRunner.query(`CREATE TABLE "record_link" ("source_record_id" bigint NOT NULL, "entity_type" character varying(24) NOT NULL, "entity_id" text NOT NULL, "method" character varying(24) NOT NULL, "score" real, "organization_id" uuid, "organization_method" character varying(24), CONSTRAINT "PK_f3f5c7d03c91f8cc005faf84a27" PRIMARY KEY ("source_record_id"))`);
    await queryRunner.query(`CREATE TABLE "record_reference" ("id" BIGSERIAL NOT NULL, "source_record_id" bigint NOT NULL, "role" character varying(24) NOT NULL, "entity_type" character varying(24) NOT NULL, "entity_id" text NOT NULL, "method" character varying(24) NOT NULL, CONSTRAINT "PK_b527ae01112fac432297d860430" PRIMARY KEY ("id"))`);
    // Which old link became what: the subject and the record's first organization go into the link row.
    await queryRunner.query(`
      CREATE TEMP TABLE link_moved ON COMMIT DROP AS
      SELECT l.id, l.source_record_id, CASE WHEN l.role = 'subject' THEN 'subject'
               WHEN l.role = 'organization' AND l.entity_type = 'organization'
                AND l.id = min(l.id) FILTER (WHERE l.role = 'organization' AND l.entity_type = 'organization') OVER (PARTITION BY l.source_record_id) THEN 'organization'
               ELSE 'reference' END AS kind
        FROM record_link_old l`);
    await queryRunner.query(`
      INSERT INTO "record_link" (source_record_id, entity_type, entity_id, method, score, organization_id, organization_method)
      SELECT s.source_record_id, s.entity_type, s.entity_id, s.method, s.score, o.entity_id::uuid, o.method
        FROM record_link_old s JOIN link_moved ms ON ms.id = s.id AND ms.kind = 'subject'
        LEFT JOIN (SELECT l.* FROM record_link_old l JOIN link_moved m ON m.id = l.id AND m.kind = 'organization') o ON o.source_record_id = s.source_record_id`);
    await queryRunner.query(`
      INSERT INTO "record_reference" (id, source_record_id, role, entity_type, entity_id, method)
      SELECT l.id, l.source_record_id, l.role, l.entity_type, l.entity_id, l.method FROM record_link_old l JOIN link_moved m ON m.id = l.id AND m.kind = 'reference'`);
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('record_reference', 'id'), greatest((SELECT max(id) FROM record_link_old), 1))`);
    // Undo records of merges name links by the new keys: subject and organization by source record, references by id.
    await queryRunner.query(`
      UPDATE entity_merge e SET undo = (e.undo - 'linkIds') || jsonb_build_object('links', jsonb_build_object(
        'subjects', coalesce((SELECT jsonb_agg(m.source_record_id::text ORDER BY m.id) FROM link_moved m WHERE m.kind = 'subject' AND m.id::text IN (SELECT jsonb_array_elements_text(e.undo->'linkIds'))), '[]'::jsonb),
        'organizations', coalesce((SELECT jsonb_agg(m.source_record_id::text ORDER BY m.id) FROM link_moved m WHERE m.kind = 'organization' AND m.id::text IN (SELECT jsonb_array_elements_text(e.undo->'linkIds'))), '[]'::jsonb),
        'references', coalesce((SELECT jsonb_agg(m.id::text ORDER BY m.id) FROM link_moved m WHERE m.kind = 'reference' AND m.id::text IN (SELECT jsonb_array_elements_text(e.undo->'linkIds'))), '[]'::jsonb)))
       WHERE e.undo ? 'linkIds'`);
    await queryRunner.query(`DROP TABLE "record_link_old"`);
    await queryRunner.query(`CREATE INDEX "ix_record_link_entity" ON "record_link" ("entity_type", "entity_id") `);
    await queryRunner.query(`CREATE INDEX "ix_record_link_organization" ON "record_link" (("organization_id"::text)) WHERE "organization_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_2b54d0186be1459237325ae6ee" ON "record_reference" ("source_record_id") `);
    await queryRunner.query(`CREATE INDEX "ix_record_reference_entity" ON "record_reference" ("entity_type", "entity_id") `);
    await queryRunner.query(`ALTER TABLE "record_link" ADD CONSTRAINT "FK_f3f5c7d03c91f8cc005faf84a27" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "record_reference" ADD CONSTRAINT "FK_2b54d0186be1459237325ae6eeb" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(RECORD_LINK_ENTRY);

    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "changes" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "actor" DROP NOT NULL`);
    await queryRunner.query(`UPDATE "change_log" SET changes = NULL WHERE action = 'create'`);
    // Ranges of creates: each entry owns 1024 positions (CHANGE_RANGE_SIZE), after every position handed out so far.
    await queryRunner.query(`ALTER TABLE "change_log" ADD "entity_ids" uuid array`);
    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "seq" SET DEFAULT (nextval('change_log_seq_seq'::regclass) * 1024)`);
    await queryRunner.query(`UPDATE "change_log" SET actor = NULL WHERE actor = 'batch:' || batch_id::text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Values of creates are gone: what the entity holds now is what the feed served for them.
    await queryRunner.query(`
      INSERT INTO "change_log" (seq, occurred_at, entity_type, entity_id, action, batch_id, changes, actor)
      SELECT c.seq + i - 1, c.occurred_at, c.entity_type, e.id::text, c.action, c.batch_id, c.changes, c.actor
        FROM change_log c, unnest(c.entity_ids) WITH ORDINALITY e(id, i) WHERE c.entity_ids IS NOT NULL AND i > 1`);
    await queryRunner.query(`ALTER TABLE "change_log" DROP COLUMN "entity_ids"`);
    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "seq" SET DEFAULT nextval('change_log_seq_seq'::regclass)`);
    await queryRunner.query(`SELECT setval('change_log_seq_seq', (SELECT coalesce(max(seq), 0) + 1 FROM change_log), false)`);
    await queryRunner.query(`UPDATE "change_log" SET actor = 'batch:' || batch_id::text WHERE actor IS NULL`);
    await queryRunner.query(`UPDATE "change_log" SET changes = '{}'::jsonb WHERE changes IS NULL`);
    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "actor" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "change_log" ALTER COLUMN "changes" SET NOT NULL`);

    await queryRunner.query(`DROP VIEW "record_link_entry"`);
    await queryRunner.query(`CREATE TABLE "record_link_old" AS SELECT source_record_id, entity_type, entity_id, role, method, score FROM (
      SELECT source_record_id, entity_type, entity_id, 'subject' AS role, method, score, 0 AS n FROM record_link
      UNION ALL SELECT source_record_id, 'organization', organization_id::text, 'organization', organization_method, NULL, 1 FROM record_link WHERE organization_id IS NOT NULL
      UNION ALL SELECT source_record_id, entity_type, entity_id, role, method, NULL, 2 + id FROM record_reference) l ORDER BY source_record_id, n`);
    await queryRunner.query(`UPDATE entity_merge SET undo = (undo - 'links') || '{"linkIds": []}'::jsonb WHERE undo ? 'links'`);
    await queryRunner.query(`DROP TABLE "record_reference"`);
    await queryRunner.query(`DROP TABLE "record_link"`);
    await queryRunner.query(`CREATE TABLE "record_link" ("id" BIGSERIAL NOT NULL, "source_record_id" bigint NOT NULL, "entity_type" character varying(24) NOT NULL, "entity_id" text NOT NULL, "role" character varying(24) NOT NULL, "method" character varying(24) NOT NULL, "score" real, CONSTRAINT "PK_6efbde23e83efddb2686d2fd38f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`INSERT INTO "record_link" (source_record_id, entity_type, entity_id, role, method, score) SELECT * FROM record_link_old`);
    await queryRunner.query(`DROP TABLE "record_link_old"`);
    await queryRunner.query(`CREATE INDEX "IDX_f3f5c7d03c91f8cc005faf84a2" ON "record_link" ("source_record_id") `);
    await queryRunner.query(`CREATE INDEX "ix_record_link_entity" ON "record_link" ("entity_type", "entity_id") `);
    await queryRunner.query(`ALTER TABLE "record_link" ADD CONSTRAINT "FK_f3f5c7d03c91f8cc005faf84a27" FOREIGN KEY ("source_record_id") REFERENCES "source_record"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }
}

/** Every link of a source record as (record, entity, role, method, score): its subject, its organization, its other references. */
const RECORD_LINK_ENTRY = `
  CREATE VIEW "record_link_entry" AS
  SELECT source_record_id, entity_type, entity_id, 'subject'::varchar(24) AS role, method, score FROM record_link
  UNION ALL
  SELECT source_record_id, 'organization'::varchar(24), organization_id::text, 'organization'::varchar(24), organization_method, NULL::real FROM record_link WHERE organization_id IS NOT NULL
  UNION ALL
  SELECT source_record_id, entity_type, entity_id, role, method, NULL::real FROM record_reference`;

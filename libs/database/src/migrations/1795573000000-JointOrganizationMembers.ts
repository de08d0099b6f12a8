import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Joint organizations (联合党支部, "four-in-one" 联合党组织) and the organizations taking part in
 * them, as a relation of their own: until now only a record's reference linked them. Each link
 * records the batches that claimed it, as memberships do, so a rollback removes only what no other
 * batch still claims. Existing references of S4 rows (role 'joint') are backfilled.
 */
export class JointOrganizationMembers1795573000000 implements MigrationInterface {
  name = 'JointOrganizationMembers1795573000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "joint_organization_member" ("created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "id" uuid NOT NULL DEFAULT gen_random_uuid(), "joint_id" uuid NOT NULL, "member_id" uuid NOT NULL, "lineage" jsonb NOT NULL DEFAULT '{}'::jsonb, "batch_ids" uuid array NOT NULL DEFAULT '{}', CONSTRAINT "uq_joint_organization_member" UNIQUE ("joint_id", "member_id"), CONSTRAINT "ck_joint_organization_member_not_self" CHECK ("joint_id" <> "member_id"), CONSTRAINT "PK_9648c6a798c19f3cf37d70857d4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_joint_organization_member_member" ON "joint_organization_member" ("member_id") `);
    await queryRunner.query(`ALTER TABLE "joint_organization_member" ADD CONSTRAINT "FK_ab4657e73c741c34976c05ea5fe" FOREIGN KEY ("joint_id") REFERENCES "party_organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "joint_organization_member" ADD CONSTRAINT "FK_575548e61852cee629f485bc817" FOREIGN KEY ("member_id") REFERENCES "party_organization"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // A record whose subject is an organization and which references a joint one: the subject takes part in it.
    await queryRunner.query(`
      INSERT INTO "joint_organization_member" (joint_id, member_id, lineage, batch_ids)
      SELECT j.entity_id::uuid, s.entity_id::uuid,
             jsonb_build_object('jointId', jsonb_build_object('sourceRecordId', (min(r.id))::text, 'batchId', (min(r.batch_id::text))::text, 'source', min(b.source_kind))),
             array_agg(DISTINCT r.batch_id)
        FROM record_link j
        JOIN record_link s ON s.source_record_id = j.source_record_id AND s.role = 'subject' AND s.entity_type = 'organization'
        JOIN source_record r ON r.id = j.source_record_id
        JOIN import_batch b ON b.id = r.batch_id AND b.status = 'completed'
        JOIN party_organization jo ON jo.id = j.entity_id::uuid
        JOIN party_organization so ON so.id = s.entity_id::uuid
       WHERE j.role = 'joint' AND j.entity_type = 'organization' AND j.entity_id <> s.entity_id
       GROUP BY j.entity_id, s.entity_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "joint_organization_member" DROP CONSTRAINT "FK_575548e61852cee629f485bc817"`);
    await queryRunner.query(`ALTER TABLE "joint_organization_member" DROP CONSTRAINT "FK_ab4657e73c741c34976c05ea5fe"`);
    await queryRunner.query(`DROP INDEX "public"."ix_joint_organization_member_member"`);
    await queryRunner.query(`DROP TABLE "joint_organization_member"`);
  }
}

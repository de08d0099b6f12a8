import { MovedLinks } from '@qc/database';
import { EntityManager } from 'typeorm';

/**
 * Every link to one entity (as subject, as the organization a record names, as another reference)
 * now points at another: what a merge, or an absorbed organization, does to lineage.
 */
export async function moveLinks(manager: EntityManager, entityType: string, fromId: string, toId: string): Promise<MovedLinks> {
  const keys = async (sql: string) => ((await manager.query(sql, [fromId, toId, entityType]))[0] as { key: string }[]).map((r) => r.key);
  return {
    subjects: await keys(`UPDATE record_link SET entity_id = $2 WHERE entity_type = $3 AND entity_id = $1 RETURNING source_record_id::text AS key`),
    organizations: entityType !== 'organization' ? [] : await keys(
      `UPDATE record_link SET organization_id = $2::uuid WHERE organization_id::text = $1 AND organization_id IS NOT NULL AND $3 = 'organization' RETURNING source_record_id::text AS key`),
    references: await keys(`UPDATE record_reference SET entity_id = $2 WHERE entity_type = $3 AND entity_id = $1 RETURNING id::text AS key`),
  };
}

/** The links a merge moved point at the absorbed entity again (unmerge). */
export async function restoreLinks(manager: EntityManager, entityType: string, toId: string, moved: MovedLinks): Promise<void> {
  await manager.query(`UPDATE record_link SET entity_id = $1 WHERE entity_type = $2 AND source_record_id = ANY($3::bigint[])`, [toId, entityType, moved.subjects]);
  if (moved.organizations.length > 0) await manager.query(`UPDATE record_link SET organization_id = $1::uuid WHERE source_record_id = ANY($2::bigint[])`, [toId, moved.organizations]);
  await manager.query(`UPDATE record_reference SET entity_id = $1 WHERE id = ANY($2::bigint[])`, [toId, moved.references]);
}

/** The source records whose links those are. */
export async function sourceRecordsOf(manager: EntityManager, moved: MovedLinks): Promise<Set<string>> {
  const referencing: { id: string }[] = moved.references.length === 0 ? []
    : await manager.query(`SELECT source_record_id::text AS id FROM record_reference WHERE id = ANY($1::bigint[])`, [moved.references]);
  return new Set([...moved.subjects, ...moved.organizations, ...referencing.map((r) => r.id)]);
}

import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntityMerge, EntityMergeUndo, movedCounts, MovedCounts } from '@qc/database';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { MergeableType } from './entity-merger';

/** A merge people made (by hand, or by deciding a review task), as a list of them shows it. */
export interface MergeLogItem extends Pick<EntityMerge,
  'id' | 'entityType' | 'survivorId' | 'mergedId' | 'mergedBy' | 'mergedAt' | 'note' | 'reviewTaskId' | 'unmergedAt' | 'unmergedBy'> {
  /** The absorbed entity's name as it was; the survivor's as it is (null once it is gone). */
  mergedName: string | null;
  survivorName: string | null;
  moved: MovedCounts;
  /**
   * Whether unmerge (POST /v1/{persons|organizations}/{mergedId}/unmerge) can undo it now: not undone
   * yet, and its survivor not merged into another since (that merge is undone first).
   */
  undoable: boolean;
}

/** The merges of persons and organizations that people made, newest first. */
@Injectable()
export class MergeLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(query: { entityType?: MergeableType; limit: number; after?: string }): Promise<{ items: MergeLogItem[]; nextCursor: string | null }> {
    const params: unknown[] = [query.limit + 1];
    const where: string[] = [];
    if (query.entityType) where.push(`m.entity_type = $${params.push(query.entityType)}`);
    if (query.after) {
      if (!isUUID(query.after)) throw new BadRequestException('after must be the nextCursor of the previous page');
      where.push(`(m.merged_at, m.id) < (SELECT c.merged_at, c.id FROM entity_merge c WHERE c.id = $${params.push(query.after)})`);
    }
    const rows: (Omit<MergeLogItem, 'moved'> & { undo: EntityMergeUndo })[] = await this.dataSource.query(`
      SELECT m.id, m.entity_type AS "entityType", m.survivor_id AS "survivorId", m.merged_id AS "mergedId", m.merged_by AS "mergedBy", m.merged_at AS "mergedAt",
             m.note, m.review_task_id AS "reviewTaskId", m.unmerged_at AS "unmergedAt", m.unmerged_by AS "unmergedBy",
             coalesce(m.undo->'merged'->>'name', m.undo->'merged'->>'shortName') AS "mergedName", coalesce(p.name, o.short_name) AS "survivorName",
             m.undo,
             (m.unmerged_at IS NULL AND NOT EXISTS (SELECT 1 FROM entity_merge later
                WHERE later.entity_type = m.entity_type AND later.merged_id = m.survivor_id AND later.unmerged_at IS NULL)) AS undoable
        FROM entity_merge m
        LEFT JOIN person p ON m.entity_type = 'person' AND p.id = m.survivor_id::uuid
        LEFT JOIN party_organization o ON m.entity_type = 'organization' AND o.id = m.survivor_id::uuid
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY m.merged_at DESC, m.id DESC
       LIMIT $1`, params);
    const items = rows.slice(0, query.limit).map(({ undo, ...merge }) => ({ ...merge, moved: movedCounts(undo) }));
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
  }
}

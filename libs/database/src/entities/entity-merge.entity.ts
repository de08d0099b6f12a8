import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Record links a merge moved to the survivor: subject and organization links by source record, other references by id. */
export interface MovedLinks {
  subjects: string[];
  organizations: string[];
  references: string[];
}


/**
 * What a merge moved from the absorbed entity to the survivor, exactly enough to undo it:
 * the links, external ids, children, memberships and roles it moved (rows as they were), and
 * the absorbed entity as it stood. While unmerged_at is null it is also the redirect: the
 * absorbed id answers with the survivor.
 */
export interface EntityMergeUndo {
  /** The absorbed entity's row as it was (columns by property name). */
  merged: Record<string, unknown>;
  /** The survivor's row before the merge (organizations restore their fields from it). */
  survivor: Record<string, unknown>;
  links: MovedLinks;
  externalRefs: { system: string; externalId: string }[];
  childIds: string[];
  /** Memberships and roles touched by the merge, each as it was before it (rows by property name). */
  memberships: Record<string, unknown>[];
  roles: Record<string, unknown>[];
  /** Joint-organization links of the absorbed organization, as they were (absent in merges made before they existed). */
  jointLinks?: Record<string, unknown>[];
}

/** How much a merge moved, as lists of merges and the answers to merge and unmerge show it. */
export interface MovedCounts { links: number; externalRefs: number; memberships: number; roles: number; children: number }

export function movedCounts(undo: EntityMergeUndo): MovedCounts {
  return {
    links: undo.links.subjects.length + undo.links.organizations.length + undo.links.references.length,
    externalRefs: undo.externalRefs.length, memberships: undo.memberships.length, roles: undo.roles.length, children: undo.childIds.length,
  };
}

@Entity('entity_merge')
@Index('ix_entity_merge_merged', ['entityType', 'mergedId'])
@Index('ix_entity_merge_survivor', ['entityType', 'survivorId'])
export class EntityMerge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 24 })
  entityType: string;

  @Column({ name: 'survivor_id', type: 'text' })
  survivorId: string;

  @Column({ name: 'merged_id', type: 'text' })
  mergedId: string;

  @Column({ name: 'merged_by', type: 'text' })
  mergedBy: string;

  /** The review task whose decision this merge carried out, if any. */
  @Column({ name: 'review_task_id', type: 'uuid', nullable: true })
  reviewTaskId: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'jsonb' })
  undo: EntityMergeUndo;

  @CreateDateColumn({ name: 'merged_at', type: 'timestamptz' })
  mergedAt: Date;

  @Column({ name: 'unmerged_at', type: 'timestamptz', nullable: true })
  unmergedAt: Date | null;

  @Column({ name: 'unmerged_by', type: 'text', nullable: true })
  unmergedBy: string | null;
}

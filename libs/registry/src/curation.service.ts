import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ChangeRecorder } from '@qc/changes';
import { EntityMerge, ReviewStatus, ReviewTask } from '@qc/database';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { EntityMerger, MergeableType, MergeRequest } from './entity-merger';
import { lockRegistry } from './merge-partitions';
import { loadSurvivorship, SourceRanking } from './survivorship';

export type ReviewDecision = 'merge' | 'keep-apart';

/** The statuses a decision leaves a task in. */
export const DECIDED_STATUSES: readonly ReviewStatus[] = ['merged', 'kept-apart', 'resolved'];

export function assertEntityId(type: string, id: string): void {
  // Persons and organizations are named by UUIDs: anything else names none (and is not echoed back).
  if (!isUUID(id)) throw new NotFoundException(`no ${type} with that id`);
}

/** Curation of the registry by people: review decisions, manual merge and unmerge; one transaction each, written to the change feed. */
@Injectable()
export class CurationService {
  private readonly rules: SourceRanking = loadSurvivorship();

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly recorder: ChangeRecorder) {}

  async merge(type: MergeableType, request: MergeRequest): Promise<EntityMerge> {
    assertEntityId(type, request.survivorId);
    assertEntityId(type, request.mergedId);
    return this.curate((merger) => merger.merge(type, request));
  }

  async unmerge(type: MergeableType, mergedId: string, actor: string): Promise<EntityMerge> {
    assertEntityId(type, mergedId);
    return this.curate((merger) => merger.unmerge(type, mergedId, actor));
  }

  /**
   * Decides an open review task. 'merge' on a possible duplicate merges the record's entity into
   * the existing one through the same merge as a manual one; 'keep-apart' leaves both (a conflict
   * is resolved by keeping what the registry holds). The decision is found again by its
   * decisionKey when the same record is imported again.
   */
  async decide(taskId: string, decision: ReviewDecision, actor: string, note: string | null = null): Promise<ReviewTask> {
    if (!isUUID(taskId)) throw new NotFoundException('no review task with that id');
    return this.curate(async (merger, manager) => {
      const task = await manager.findOne(ReviewTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundException(`no review task ${taskId}`);
      if (task.status !== 'open') throw new ConflictException(`review task ${taskId} was already decided (${task.status}) by ${task.decidedBy ?? 'the importer'}`);
      if (decision === 'merge' && task.kind !== 'possible-duplicate') {
        throw new BadRequestException('only a possible duplicate can be merged; decide a conflict with keep-apart (the registry keeps what it holds)');
      }
      if (decision === 'merge') {
        await merger.merge(task.entityType as MergeableType, { survivorId: task.rightId, mergedId: task.leftId, actor, reviewTaskId: task.id, note });
      }
      const status = decision === 'merge' ? 'merged' : task.kind === 'conflict' ? 'resolved' : 'kept-apart';
      await manager.update(ReviewTask, { id: task.id }, { status, decidedBy: actor, decidedAt: new Date(), note });
      return { ...task, status, decidedBy: actor, decidedAt: new Date(), note };
    });
  }

  /**
   * Undoes a review decision: a merge it made is unmerged (everything it moved goes back, as
   * unmerge does), and the task is open again, undecided. Refused (409) for a task not decided, and
   * for one whose question is open again as another task.
   */
  async undo(taskId: string, actor: string): Promise<ReviewTask> {
    if (!isUUID(taskId)) throw new NotFoundException('no review task with that id');
    return this.curate(async (merger, manager) => {
      const task = await manager.findOne(ReviewTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundException(`no review task ${taskId}`);
      if (!DECIDED_STATUSES.includes(task.status)) throw new ConflictException(`review task ${taskId} is ${task.status}: there is no decision to undo`);
      const again = await manager.findOneBy(ReviewTask, { decisionKey: task.decisionKey, status: 'open' });
      if (again) throw new ConflictException(`the same question is open as review task ${again.id}: decide that one`);
      if (task.status === 'merged') {
        const merge = await manager.findOneBy(EntityMerge, { reviewTaskId: task.id, unmergedAt: IsNull() });
        if (merge) await merger.unmerge(merge.entityType as MergeableType, merge.mergedId, actor);
      }
      const reopened = { status: 'open' as const, decidedBy: null, decidedAt: null, note: null };
      await manager.update(ReviewTask, { id: task.id }, reopened);
      return { ...task, ...reopened };
    });
  }

  private async curate<T>(work: (merger: EntityMerger, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      // The whole registry: a manual merge or a review decision reaches entities of any partition, and is rare.
      await lockRegistry(manager);
      const merger = new EntityMerger(manager, this.rules);
      const result = await work(merger, manager);
      await this.recorder.record(manager, merger.feed);
      return result;
    });
  }
}

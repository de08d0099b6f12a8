import { ReviewEvidence, ReviewKind, ReviewTask } from '@qc/database';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Origin } from './origin';

export interface ReviewQuestion {
  kind: ReviewKind;
  entityType: string;
  leftId: string;
  rightId: string;
  /** What identifies the question across imports (e.g. the record's content and the candidate). */
  decisionParts: string[];
  score: number | null;
  evidence: ReviewEvidence;
  summary: string;
}

export type PriorDecision = { status: ReviewTask['status']; leftId: string; rightId: string } | null;

/** Opens review tasks for what the matcher will not decide alone, and recalls earlier decisions. */
export class ReviewDesk {
  opened = 0;

  constructor(private readonly manager: EntityManager) {}

  static decisionKey(parts: string[]): string {
    return createHash('sha256').update(parts.join('\u0000')).digest('hex');
  }

  /** The latest decision, or the open task, for the same question; null when it was never asked. */
  async prior(parts: string[]): Promise<PriorDecision> {
    const rows = await this.manager.find(ReviewTask, {
      where: { decisionKey: ReviewDesk.decisionKey(parts) }, order: { createdAt: 'DESC' }, take: 1,
    });
    return rows[0] ? { status: rows[0].status, leftId: rows[0].leftId, rightId: rows[0].rightId } : null;
  }

  async open(question: ReviewQuestion, origin: Origin): Promise<void> {
    const result = await this.manager.createQueryBuilder().insert().into(ReviewTask).values({
      kind: question.kind, entityType: question.entityType, leftId: question.leftId, rightId: question.rightId,
      decisionKey: ReviewDesk.decisionKey(question.decisionParts), score: question.score, evidence: question.evidence,
      summary: question.summary, status: 'open', batchId: origin.batchId, sourceRecordId: origin.sourceRecordId,
    }).orIgnore().execute();
    this.opened += result.identifiers.filter(Boolean).length;
  }
}

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
  /** Decisions read ahead for a chunk of records, by decision key (null: never asked). */
  private read = new Map<string, PriorDecision>();

  constructor(private readonly manager: EntityManager) {}

  static decisionKey(parts: string[]): string {
    return createHash('sha256').update(parts.join('\u0000')).digest('hex');
  }

  /**
   * Reads ahead, in one query, the decisions on the questions a chunk of records may ask (the
   * previous chunk's are dropped): prior() answers them from memory, any other from the registry.
   */
  async readAhead(questions: string[][]): Promise<void> {
    this.read.clear();
    const keys = [...new Set(questions.map((parts) => ReviewDesk.decisionKey(parts)))];
    if (keys.length === 0) return;
    const rows: { decisionKey: string; status: ReviewTask['status']; leftId: string; rightId: string }[] = await this.manager.query(`
      SELECT DISTINCT ON (t.decision_key) t.decision_key AS "decisionKey", t.status, t.left_id AS "leftId", t.right_id AS "rightId"
        FROM review_task t WHERE t.decision_key = ANY($1) ORDER BY t.decision_key, t.created_at DESC`, [keys]);
    for (const key of keys) this.read.set(key, null);
    for (const { decisionKey, ...decision } of rows) this.read.set(decisionKey, decision);
  }

  /** The latest decision, or the open task, for the same question; null when it was never asked. */
  async prior(parts: string[]): Promise<PriorDecision> {
    const decisionKey = ReviewDesk.decisionKey(parts);
    const read = this.read.get(decisionKey);
    if (read !== undefined) return read;
    const rows = await this.manager.find(ReviewTask, {
      where: { decisionKey }, order: { createdAt: 'DESC' }, take: 1,
    });
    return rows[0] ? { status: rows[0].status, leftId: rows[0].leftId, rightId: rows[0].rightId } : null;
  }

  async open(question: ReviewQuestion, origin: Origin): Promise<void> {
    // Asked now: what was read ahead about it no longer holds.
    this.read.delete(ReviewDesk.decisionKey(question.decisionParts));
    const result = await this.manager.createQueryBuilder().insert().into(ReviewTask).values({
      kind: question.kind, entityType: question.entityType, leftId: question.leftId, rightId: question.rightId,
      decisionKey: ReviewDesk.decisionKey(question.decisionParts), score: question.score, evidence: question.evidence,
      summary: question.summary, status: 'open', batchId: origin.batchId, sourceRecordId: origin.sourceRecordId,
    }).orIgnore().execute();
    this.opened += result.identifiers.filter(Boolean).length;
  }
}

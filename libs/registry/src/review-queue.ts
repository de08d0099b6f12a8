import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntityMerge, Membership, PartyOrganization, Person, ReviewEvidence, ReviewStatus, ReviewTask } from '@qc/database';
import { comparePersons, loadMatchWeights, MatchWeights, scorePair } from '@qc/matching';
import { PersonalDataReader, PersonalDataReaderContext } from '@qc/pii';
import { isUUID } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { personEvidenceOf } from './person-directory';

export interface ReviewListQuery {
  status?: ReviewStatus;
  entityType?: string;
  limit: number;
  /** nextCursor of the previous page. */
  after?: string;
}

/** One side of a review question, personal data shown as the reader may see it. */
export interface ReviewSide {
  entityType: string;
  id: string;
  /** Null when the entity no longer exists; mergedInto then says where it went. */
  found: boolean;
  mergedInto: string | null;
  fields: Record<string, unknown>;
  records: number;
}

export interface ReviewTaskView {
  task: ReviewTask;
  left: ReviewSide;
  right: ReviewSide;
  /** Per compared field: level reached and weight added (stored with the task, or recomputed from both persons). */
  evidence: ReviewEvidence;
  evidenceRecomputed: boolean;
}

/** Reads the review queue for reviewers: pages of tasks, and one task with both sides and the evidence. */
@Injectable()
export class ReviewQueue {
  private readonly weights: MatchWeights = loadMatchWeights();

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly pii: PersonalDataReader) {}

  async list(query: ReviewListQuery): Promise<{ items: ReviewTask[]; nextCursor: string | null }> {
    const qb = this.dataSource.getRepository(ReviewTask).createQueryBuilder('t').orderBy('t.created_at', 'ASC').addOrderBy('t.id', 'ASC').take(query.limit + 1);
    if (query.status) qb.andWhere('t.status = :status', { status: query.status });
    if (query.entityType) qb.andWhere('t.entity_type = :entityType', { entityType: query.entityType });
    if (query.after) {
      // The cursor is the last task shown; its own created_at keeps the database's full precision.
      if (!isUUID(query.after)) throw new BadRequestException('after must be the nextCursor of the previous page');
      qb.andWhere('(t.created_at, t.id) > (SELECT c.created_at, c.id FROM review_task c WHERE c.id = :after)', { after: query.after });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, query.limit);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
  }

  async get(id: string, reader: PersonalDataReaderContext): Promise<ReviewTaskView> {
    const task = isUUID(id) ? await this.dataSource.getRepository(ReviewTask).findOneBy({ id }) : null;
    if (!task) throw new NotFoundException(isUUID(id) ? `no review task ${id}` : 'no review task with that id');
    const [leftType, rightType] = task.entityType === 'membership' ? ['person', 'organization'] : [task.entityType, task.entityType];
    const left = await this.side(leftType, task.leftId, reader);
    const right = await this.side(rightType, task.rightId, reader);
    let evidence = task.evidence;
    let evidenceRecomputed = false;
    if (evidence.length === 0 && task.kind === 'possible-duplicate' && task.entityType === 'person') {
      const persons = await this.dataSource.getRepository(Person).findBy({ id: In([task.leftId, task.rightId]) });
      const [a, b] = [persons.find((p) => p.id === task.leftId), persons.find((p) => p.id === task.rightId)];
      if (a && b) {
        const memberships = await this.dataSource.getRepository(Membership).findBy({ personId: In([a.id, b.id]) });
        const withOrganizations = (p: Person) => ({ ...personEvidenceOf(p), organizationIds: memberships.filter((m) => m.personId === p.id).map((m) => m.organizationId) });
        evidence = scorePair(comparePersons(withOrganizations(a), withOrganizations(b)), this.weights).evidence;
        evidenceRecomputed = true;
      }
    }
    return { task, left, right, evidence, evidenceRecomputed };
  }

  private async side(entityType: string, id: string, reader: PersonalDataReaderContext): Promise<ReviewSide> {
    const records = isUUID(id)
      ? (await this.dataSource.query(`SELECT count(DISTINCT source_record_id)::int AS n FROM record_link_entry WHERE entity_type = $1 AND entity_id = $2`, [entityType, id]))[0].n
      : 0;
    if (entityType === 'person' && isUUID(id)) {
      const p = await this.dataSource.getRepository(Person).findOneBy({ id });
      if (p) {
        const shown = (await this.pii.show(reader, [p], 'review')).get(p.id)!;
        return {
          entityType, id, found: true, mergedInto: null, records,
          fields: { name: p.name, gender: p.gender, ...shown, idEvidence: p.idEvidence ? 'partial' : null, residence: p.residence, workplace: p.workplace },
        };
      }
    }
    if (entityType === 'organization' && isUUID(id)) {
      const o = await this.dataSource.getRepository(PartyOrganization).findOneBy({ id });
      if (o) return { entityType, id, found: true, mergedInto: null, records, fields: { shortName: o.shortName, formalName: o.formalName, type: o.type, divisionCode: o.divisionCode, parentId: o.parentId } };
    }
    const merge = await this.dataSource.getRepository(EntityMerge).findOne({ where: { entityType, mergedId: id }, order: { mergedAt: 'DESC' } });
    return { entityType, id, found: false, mergedInto: merge && !merge.unmergedAt ? merge.survivorId : null, records, fields: {} };
  }
}

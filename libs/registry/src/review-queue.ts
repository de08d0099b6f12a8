import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntityMerge, Membership, PartyOrganization, Person, ReviewEvidence, ReviewKind, ReviewStatus, ReviewTask } from '@qc/database';
import { comparePersons, loadMatchWeights, MatchWeights, scorePair } from '@qc/matching';
import { PersonalDataReader, PersonalDataReaderContext } from '@qc/pii';
import { divisionCodeRange } from '@qc/query';
import { isUUID } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { DECIDED_STATUSES } from './curation.service';
import { linkedRecords } from './lineage-reader';
import { personEvidenceOf } from './person-directory';

export interface ReviewListQuery {
  /** A status, or 'decided' for merged, kept apart or resolved. */
  status?: ReviewStatus | 'decided';
  entityType?: string;
  kind?: ReviewKind;
  /** 12-digit division codes: tasks with a side there (a person with a membership in an organization there, or such an organization). */
  district?: string;
  community?: string;
  /** score: highest first (the default); age: oldest first. */
  sort?: 'score' | 'age';
  limit: number;
  /** nextCursor of the previous page. */
  after?: string;
}

/** One side of a task as a worklist shows it: who or what, in which community, under which organization. */
export interface ReviewSideSummary {
  name: string | null;
  /** The division (a community, mostly) of its organization: a person's current one, an organization's own. */
  community: string | null;
  communityCode: string | null;
  /** A person's current organization (else the latest it was in); an organization's parent. */
  organization: string | null;
}

export type ReviewDecisionTaken = 'merge' | 'keep-apart';

export interface ReviewListItem extends Pick<ReviewTask,
  'id' | 'kind' | 'entityType' | 'leftId' | 'rightId' | 'score' | 'summary' | 'status' | 'batchId' | 'decidedBy' | 'decidedAt' | 'note' | 'createdAt'> {
  /** What was decided: null while open (or withdrawn). */
  decision: ReviewDecisionTaken | null;
  left: ReviewSideSummary;
  right: ReviewSideSummary;
}

/** An organization a side belongs to (a person's memberships; an organization itself and its parent). */
export interface ReviewSideOrganization { id: string; name: string; formalName: string | null; communityCode: string | null; community: string | null; status: string | null; category: string | null }
/** A source row that describes a side. */
export interface ReviewSideSource { sourceKind: string | null; file: string; batchId: string; sheet: string | null; row: string; role: string }

/** One side of a review question, personal data shown as the reader may see it. */
export interface ReviewSide {
  entityType: string;
  id: string;
  /** Null when the entity no longer exists; mergedInto then says where it went. */
  found: boolean;
  mergedInto: string | null;
  fields: Record<string, unknown>;
  records: number;
  organizations: ReviewSideOrganization[];
  /** The divisions of those organizations, each once. */
  communities: { code: string; name: string }[];
  /** The source rows linked to it, oldest import first (at most SIDE_SOURCES). */
  sources: ReviewSideSource[];
}

/** Source rows shown per side: enough to decide by; lineage lists them all. */
const SIDE_SOURCES = 50;

/** A task's id as a uuid, or null for an id that is none (the value a conflict names). */
const asUuid = (column: string) => `(CASE WHEN ${column} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ${column}::uuid END)`;

/**
 * A side's name, organization and division, for the entity type and id given as SQL: a person by its
 * current membership (else its latest), an organization by itself and its parent.
 */
const sideSql = (type: string, id: string) => `
  SELECT p.name, po.name AS organization, po.division_code FROM person p
    LEFT JOIN LATERAL (SELECT coalesce(o.short_name, o.formal_name) AS name, o.division_code FROM membership m JOIN party_organization o ON o.id = m.organization_id
                        WHERE m.person_id = p.id ORDER BY (m.status = 'current') DESC, m.id DESC LIMIT 1) po ON true
   WHERE ${type} = 'person' AND p.id = ${id}
  UNION ALL
  SELECT coalesce(o.short_name, o.formal_name), coalesce(up.short_name, up.formal_name), o.division_code
    FROM party_organization o LEFT JOIN party_organization up ON up.id = o.parent_id
   WHERE ${type} = 'organization' AND o.id = ${id}`;

const LEFT_TYPE = `(CASE WHEN t.entity_type = 'membership' THEN 'person' ELSE t.entity_type END)`;
const RIGHT_TYPE = `(CASE WHEN t.entity_type = 'membership' THEN 'organization' ELSE t.entity_type END)`;

interface ListRow extends Omit<ReviewListItem, 'left' | 'right' | 'decision'> {
  leftName: string | null; leftOrganization: string | null; leftCode: string | null; leftCommunity: string | null;
  rightName: string | null; rightOrganization: string | null; rightCode: string | null; rightCommunity: string | null;
}

function decisionOf(status: ReviewStatus): ReviewDecisionTaken | null {
  return status === 'merged' ? 'merge' : status === 'kept-apart' || status === 'resolved' ? 'keep-apart' : null;
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

  /**
   * A page of the worklist: highest score first (tasks without a score, conflicts, last), or oldest
   * first; each task with its two sides named, placed and organized, so that a reviewer can pick.
   */
  async list(query: ReviewListQuery): Promise<{ items: ReviewListItem[]; nextCursor: string | null }> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where: string[] = [];
    if (query.status === 'decided') where.push(`t.status = ANY(${param(DECIDED_STATUSES)})`);
    else if (query.status) where.push(`t.status = ${param(query.status)}`);
    if (query.entityType) where.push(`t.entity_type = ${param(query.entityType)}`);
    if (query.kind) where.push(`t.kind = ${param(query.kind)}`);
    for (const code of [query.district, query.community]) {
      if (!code) continue;
      const [low, high] = divisionCodeRange(code);
      // The persons with a membership in an organization there, and those organizations: read from the division's side (indexes), not task by task.
      const there = `(SELECT m.person_id::text FROM membership m JOIN party_organization o ON o.id = m.organization_id WHERE o.division_code BETWEEN ${param(low)} AND ${param(high)}
                      UNION ALL SELECT o.id::text FROM party_organization o WHERE o.division_code BETWEEN ${param(low)} AND ${param(high)})`;
      where.push(`(t.left_id IN ${there} OR t.right_id IN ${there})`);
    }
    // The key a page is ordered by; the cursor is the last task shown, whose key is read in the database (full precision).
    const byScore = query.sort !== 'age';
    const key = (alias: string) => (byScore ? `(coalesce(${alias}.score, -1), ${alias}.id)` : `(${alias}.created_at, ${alias}.id)`);
    if (query.after) {
      if (!isUUID(query.after)) throw new BadRequestException('after must be the nextCursor of the previous page');
      where.push(`${key('t')} ${byScore ? '<' : '>'} (SELECT ${key('c').slice(1, -1)} FROM review_task c WHERE c.id = ${param(query.after)})`);
    }
    const order = byScore ? 'coalesce(t.score, -1) DESC, t.id DESC' : 't.created_at ASC, t.id ASC';
    const limit = param(query.limit + 1);
    // The page is cut first: only its tasks' sides are looked up.
    const tasks = `(SELECT * FROM review_task t ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ${limit}) t`;
    const rows: ListRow[] = await this.dataSource.query(`
      SELECT t.id, t.kind, t.entity_type AS "entityType", t.left_id AS "leftId", t.right_id AS "rightId", t.score, t.summary, t.status,
             t.batch_id AS "batchId", t.decided_by AS "decidedBy", t.decided_at AS "decidedAt", t.note, t.created_at AS "createdAt",
             l.name AS "leftName", l.organization AS "leftOrganization", l.division_code AS "leftCode", ld.name AS "leftCommunity",
             r.name AS "rightName", r.organization AS "rightOrganization", r.division_code AS "rightCode", rd.name AS "rightCommunity"
        FROM ${tasks}
        LEFT JOIN LATERAL (${sideSql(LEFT_TYPE, asUuid('t.left_id'))}) l ON true
        LEFT JOIN division ld ON ld.code = l.division_code
        LEFT JOIN LATERAL (${sideSql(RIGHT_TYPE, asUuid('t.right_id'))}) r ON true
        LEFT JOIN division rd ON rd.code = r.division_code
       ORDER BY ${order}
       LIMIT ${limit}`, params);
    const items = rows.slice(0, query.limit).map(({ leftName, leftOrganization, leftCode, leftCommunity, rightName, rightOrganization, rightCode, rightCommunity, ...task }) => ({
      ...task,
      decision: decisionOf(task.status),
      left: { name: leftName, community: leftCommunity, communityCode: leftCode, organization: leftOrganization },
      right: { name: rightName, community: rightCommunity, communityCode: rightCode, organization: rightOrganization },
    }));
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
    const context = async () => {
      const organizations = await this.organizationsOf(entityType, id);
      const communities = [...new Map(organizations.filter((o) => o.communityCode).map((o) => [o.communityCode!, { code: o.communityCode!, name: o.community ?? o.communityCode! }])).values()];
      const sources = (await linkedRecords(this.dataSource, entityType, id, SIDE_SOURCES)).map((r) => ({
        sourceKind: r.source, file: r.file, batchId: r.batchId, sheet: r.sheet, row: r.recordRef.slice(r.recordRef.lastIndexOf('!') + 1), role: r.role,
      }));
      return { organizations, communities, sources };
    };
    if (entityType === 'person' && isUUID(id)) {
      const p = await this.dataSource.getRepository(Person).findOneBy({ id });
      if (p) {
        const shown = (await this.pii.show(reader, [p], 'review')).get(p.id)!;
        return {
          entityType, id, found: true, mergedInto: null, records,
          fields: { name: p.name, gender: p.gender, ...shown, idEvidence: p.idEvidence ? 'partial' : null, residence: p.residence, workplace: p.workplace },
          ...(await context()),
        };
      }
    }
    if (entityType === 'organization' && isUUID(id)) {
      const o = await this.dataSource.getRepository(PartyOrganization).findOneBy({ id });
      if (o) {
        return {
          entityType, id, found: true, mergedInto: null, records,
          fields: { shortName: o.shortName, formalName: o.formalName, type: o.type, divisionCode: o.divisionCode, parentId: o.parentId }, ...(await context()),
        };
      }
    }
    const merge = await this.dataSource.getRepository(EntityMerge).findOne({ where: { entityType, mergedId: id }, order: { mergedAt: 'DESC' } });
    return { entityType, id, found: false, mergedInto: merge && !merge.unmergedAt ? merge.survivorId : null, records, fields: {}, organizations: [], communities: [], sources: [] };
  }

  /** A person's organizations (current memberships first), or an organization itself and its parent; each with its division. */
  private organizationsOf(entityType: string, id: string): Promise<ReviewSideOrganization[]> {
    const columns = `o.id::text AS id, o.short_name AS name, o.formal_name AS "formalName", o.division_code AS "communityCode", d.name AS community`;
    return entityType === 'person'
      ? this.dataSource.query(`
          SELECT ${columns}, m.status, m.category FROM membership m JOIN party_organization o ON o.id = m.organization_id LEFT JOIN division d ON d.code = o.division_code
           WHERE m.person_id = $1 ORDER BY (m.status = 'current') DESC, m.id DESC`, [id])
      : this.dataSource.query(`
          SELECT ${columns}, NULL AS status, NULL AS category FROM party_organization self
            JOIN party_organization o ON o.id IN (self.id, self.parent_id) LEFT JOIN division d ON d.code = o.division_code
           WHERE self.id = $1 ORDER BY (o.id = self.id) DESC`, [id]);
  }
}

import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EntityMerge, PartyOrganization, Person, ReviewTask } from '@qc/database';
import { PersonalDataReader, PersonalDataReaderContext } from '@qc/pii';
import { DataSource } from 'typeorm';
import { assertEntityId } from './curation.service';
import { MergeableType } from './entity-merger';

export interface LinkedRecordView {
  sourceRecordId: string;
  file: string;
  sheet: string | null;
  recordRef: string;
  batchId: string;
  batchStatus: string;
  source: string | null;
  /** 'subject', or the reference the record made (organization, parent, building_lead, …). */
  role: string;
  method: string;
  score: number | null;
}

export interface FieldOriginView { sourceRecordId: string; batchId: string | null; source: string | null; file: string | null; recordRef: string | null }

export interface LineageView {
  entityType: MergeableType;
  id: string;
  /** Set when the id was merged into another entity: the rest is then about the survivor. */
  mergedInto: string | null;
  subject: Record<string, unknown>;
  records: LinkedRecordView[];
  fields: Record<string, FieldOriginView>;
  merges: Pick<EntityMerge, 'id' | 'survivorId' | 'mergedId' | 'mergedBy' | 'mergedAt' | 'reviewTaskId' | 'note' | 'unmergedAt' | 'unmergedBy'>[];
  reviews: Pick<ReviewTask, 'id' | 'kind' | 'status' | 'leftId' | 'rightId' | 'score' | 'evidence' | 'summary' | 'decidedBy' | 'decidedAt' | 'note'>[];
}

/** The source rows linked to an entity (every one, or the first `limit`), oldest import first. */
export function linkedRecords(dataSource: DataSource, type: string, id: string, limit: number | null = null): Promise<LinkedRecordView[]> {
  return dataSource.query(`
    SELECT r.id::text AS "sourceRecordId", b.file_name AS file, r.sheet, r.record_ref AS "recordRef", b.id::text AS "batchId", b.status AS "batchStatus",
           b.source_kind AS source, l.role, l.method, l.score
      FROM record_link_entry l JOIN source_record r ON r.id = l.source_record_id JOIN import_batch b ON b.id = r.batch_id
     WHERE l.entity_type = $1 AND l.entity_id = $2
     ORDER BY b.created_at, r.id, l.role
     LIMIT $3`, [type, id, limit]);
}

/** Why an entity is what it is: the records linked to it, where each field came from, and the merges and review decisions involving it. */
@Injectable()
export class LineageReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly pii: PersonalDataReader) {}

  /** The entity an id names now, following merges (a merged id answers with its survivor). */
  async current(type: MergeableType, id: string): Promise<string | null> {
    let at = id;
    for (let hops = 0; hops < 50; hops++) {
      const exists = await this.dataSource.getRepository(type === 'person' ? Person : PartyOrganization).existsBy({ id: at });
      if (exists) return at;
      const merge = await this.dataSource.getRepository(EntityMerge).findOne({ where: { entityType: type, mergedId: at }, order: { mergedAt: 'DESC' } });
      if (!merge || merge.unmergedAt) return null;
      at = merge.survivorId;
    }
    return null;
  }

  async lineage(type: MergeableType, id: string, reader: PersonalDataReaderContext): Promise<LineageView> {
    assertEntityId(type, id);
    const currentId = await this.current(type, id);
    if (!currentId) throw new NotFoundException(`no ${type} ${id}`);
    const records = await linkedRecords(this.dataSource, type, currentId);
    const entity = type === 'person'
      ? await this.dataSource.getRepository(Person).findOneByOrFail({ id: currentId })
      : await this.dataSource.getRepository(PartyOrganization).findOneByOrFail({ id: currentId });
    const origins = Object.entries(entity.lineage);
    // Lineage at rest names only the record (and its source): batch, file and row are the record's.
    const described: { id: string; batchId: string; file: string; recordRef: string }[] = origins.length === 0 ? [] : await this.dataSource.query(
      `SELECT r.id::text AS id, r.batch_id::text AS "batchId", b.file_name AS file, r.record_ref AS "recordRef" FROM source_record r JOIN import_batch b ON b.id = r.batch_id WHERE r.id = ANY($1::bigint[])`,
      [[...new Set(origins.map(([, o]) => o.sourceRecordId))]]);
    const where = new Map(described.map((d) => [d.id, d]));
    const fields: Record<string, FieldOriginView> = {};
    for (const [field, origin] of origins) {
      const found = where.get(origin.sourceRecordId);
      fields[field] = { sourceRecordId: origin.sourceRecordId, batchId: found?.batchId ?? null, source: origin.source ?? null, file: found?.file ?? null, recordRef: found?.recordRef ?? null };
    }
    const ids = [...new Set([id, currentId])];
    const merges = await this.dataSource.getRepository(EntityMerge).createQueryBuilder('m')
      .where('m.entity_type = :type AND (m.survivor_id IN (:...ids) OR m.merged_id IN (:...ids))', { type, ids })
      .orderBy('m.merged_at', 'ASC').getMany();
    const reviews = await this.dataSource.getRepository(ReviewTask).createQueryBuilder('t')
      .where('t.left_id IN (:...ids) OR t.right_id IN (:...ids)', { ids: [...ids, ...merges.flatMap((m) => [m.survivorId, m.mergedId])] })
      .orderBy('t.created_at', 'ASC').getMany();
    let subject: Record<string, unknown>;
    if (entity instanceof Person) {
      const shown = (await this.pii.show(reader, [entity], 'lineage')).get(entity.id)!;
      subject = { name: entity.name, gender: entity.gender, ...shown };
    } else {
      subject = { shortName: entity.shortName, formalName: entity.formalName, type: entity.type, divisionCode: entity.divisionCode };
    }
    return {
      entityType: type, id: currentId, mergedInto: currentId === id ? null : currentId, subject, records, fields,
      merges: merges.map(({ undo: _undo, entityType: _type, ...m }) => m),
      reviews: reviews.map((t) => ({ id: t.id, kind: t.kind, status: t.status, leftId: t.leftId, rightId: t.rightId, score: t.score, evidence: t.evidence, summary: t.summary, decidedBy: t.decidedBy, decidedAt: t.decidedAt, note: t.note })),
    };
  }
}

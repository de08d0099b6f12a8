import { Injectable } from '@nestjs/common';
import { FEED_HORIZON_SQL } from '@qc/changes';
import { CHANGE_RANGE_SIZE, ChangeAction } from '@qc/database';
import { maskBirthDate, maskIdNumber, maskPhone } from '@qc/pii';
import { decodeCursor, encodeCursor, Page, SEQ_KEY } from './cursor';
import { InjectReadDatabase, ReadDatabase } from './read-database';

export interface ChangeView {
  /** Position in the feed: strictly increasing. */
  seq: string;
  occurredAt: string;
  entityType: string;
  entityId: string;
  action: ChangeAction;
  /**
   * { field: [before, after] }; a create is { field: [null, value] } with the entity's fields as
   * they are now (none once it is gone); a merge is { absorbed: [absorbedId, survivorId] }, an
   * unmerge { mergedInto: [survivorId, null], …fields }.
   */
  changes: Record<string, [unknown, unknown]>;
  batchId: string | null;
}

export interface ChangePage extends Page<ChangeView> {
  /** More entries follow right now. */
  hasMore: boolean;
}

const LIST = 'changes';
const CLEAR_ID = /^\d{17}[\dX]$/;
const CLEAR_MOBILE = /^1[3-9]\d{9}$/;

/**
 * The feed is served to every registry:read key, so each entry shows what such a key may see
 * (person-disclosure.ts): birth dates as their year, ID numbers by region only. Writers store the
 * ID masked already; entries written under an older, wider mask and any clear ID number or mobile
 * that slipped in are masked here too.
 */
export function maskClearValues(changes: Record<string, [unknown, unknown]>): Record<string, [unknown, unknown]> {
  const clear = (v: unknown) => (typeof v !== 'string' ? v : CLEAR_ID.test(v) ? maskIdNumber(v) : CLEAR_MOBILE.test(v) ? maskPhone(v) : v);
  const byField: Record<string, (v: unknown) => unknown> = {
    idNumber: (v) => (typeof v === 'string' && v !== 'set' ? maskIdNumber(v) : v),
    idEvidence: (v) => (typeof v === 'string' && v !== 'set' ? maskIdNumber(v) : v),
    birthDate: (v) => (typeof v === 'string' ? maskBirthDate(v).birthDate : v),
    birthPrecision: (v) => (v === null || v === undefined ? v : 'year'),
  };
  const masked: Record<string, [unknown, unknown]> = Object.fromEntries(Object.entries(changes).map(([field, [before, after]]) => {
    const mask = byField[field] ?? clear;
    return [field, [mask(before), mask(after)]];
  }));
  // A year shown as its first day says so, or 1985-01-01 would read as a birthday.
  if (masked.birthDate) masked.birthPrecision = [masked.birthDate[0] === null ? null : 'year', masked.birthDate[1] === null ? null : 'year'];
  return masked;
}

/** A feed entity type's table and the fields its create entries show, as SQL over that table. */
interface CreatedFields { table: string; key: string; keyType: 'uuid' | 'text'; fields: Record<string, string> }

/** Reference columns (uuid) shown as text, as the writers gave them. */
const idColumns = (pairs: [field: string, column: string][]) => Object.fromEntries(pairs.map(([field, column]) => [field, `${column}::text`]));

/**
 * The fields each entity type's create entry shows (what the writers' created() calls name), read
 * from the entity when the feed is served: creates are most of an import's entries, and storing
 * their values copied every new entity into the feed.
 */
const CREATED_FIELDS: Record<string, CreatedFields> = {
  division: {
    table: 'division', key: 'code', keyType: 'text', fields: {
      name: 'name', shortName: 'short_name', level: 'level', parentCode: 'parent_code', provenance: 'provenance', households: 'households',
      residents: 'residents', minorityResidents: 'minority_residents', reportedGrids: 'reported_grids', reportedBuildings: 'reported_buildings',
      secretaryName: 'secretary_name', communityWorkers: 'community_workers',
    },
  },
  grid: { table: 'grid', key: 'id', keyType: 'uuid', fields: { communityCode: 'community_code', number: 'number', code: 'code', name: 'name' } },
  compound: {
    table: 'compound', key: 'id', keyType: 'uuid', fields: {
      communityCode: 'community_code', name: 'name', address: 'address', builtYear: 'built_year', buildingCount: 'building_count', households: 'households',
      ...idColumns([['propertyCompanyId', 'property_company_id']]), formerNameKeys: `nullif(former_name_keys, '{}')`,
    },
  },
  building: { table: 'building', key: 'id', keyType: 'uuid', fields: { ...idColumns([['compoundId', 'compound_id'], ['gridId', 'grid_id']]), label: 'label', units: 'units', households: 'households' } },
  property_company: { table: 'property_company', key: 'id', keyType: 'uuid', fields: { name: 'name', creditCode: 'credit_code' } },
  organization: {
    table: 'party_organization', key: 'id', keyType: 'uuid', fields: {
      type: 'type', shortName: 'short_name', formalName: 'formal_name', divisionCode: 'division_code', ...idColumns([['parentId', 'parent_id']]), tags: 'tags',
    },
  },
  // The ID as stored masked, or the region of a masked or damaged one (maskClearValues narrows both).
  person: {
    table: 'person', key: 'id', keyType: 'uuid', fields: {
      name: 'name', gender: 'gender', birthDate: `to_char(birth_date, 'YYYY-MM-DD')`,
      idNumber: `coalesce(id_number_masked, rpad(left(id_evidence->>'prefix', 6), 18, '*'))`, phone: 'phone_masked',
    },
  },
  membership: { table: 'membership', key: 'id', keyType: 'uuid', fields: { ...idColumns([['personId', 'person_id'], ['organizationId', 'organization_id']]), category: 'category', status: 'status' } },
  role: {
    table: 'role_assignment', key: 'id', keyType: 'uuid', fields: {
      ...idColumns([['personId', 'person_id'], ['organizationId', 'organization_id'], ['gridId', 'grid_id'], ['compoundId', 'compound_id'], ['buildingId', 'building_id']]),
      role: 'role', divisionCode: 'division_code', unit: 'unit', address: 'address',
    },
  },
  joint_member: { table: 'joint_organization_member', key: 'id', keyType: 'uuid', fields: idColumns([['jointId', 'joint_id'], ['memberId', 'member_id']]) },
};

function createdShape(type: string): CreatedFields {
  const shape = CREATED_FIELDS[type];
  if (!shape) throw new Error(`the change feed cannot show created ${type} entries`);
  return shape;
}

/** The select list of a type's fields, over its table as t. */
function selectedFields(shape: CreatedFields): string {
  return Object.entries(shape.fields).map(([field, sql]) => `${sql} AS "${field}"`).join(', ');
}

/** A create's changes: { field: [null, value] } for the fields set (none for an entity gone). */
function setFields(fields: Record<string, unknown>): Record<string, [unknown, unknown]> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null).map(([f, v]) => [f, [null, v]]));
}

interface ChangeRow extends Omit<ChangeView, 'changes'> { changes: Record<string, [unknown, unknown]> | null }

/** An entry as read: a range's entities are read apart, as far as a page needs them. */
interface ChangeHead extends ChangeRow { isRange: boolean }

@Injectable()
export class ChangeFeedQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  /**
   * Entries after the cursor in seq order (the primary key serves it), a range of creates as one
   * item per entity at seq, seq + 1, …; the cursor is the last item's position, so a page may end
   * inside a range. Only below the feed's horizon: never past an entry a merge still open may yet
   * commit (feed-horizon.ts), so a follower skips none. Unlike the lists, the feed always returns a cursor (where the reader is now,
   * even after the last entry) so a follower can poll from it; hasMore says whether to fetch again right away.
   */
  async list(filter: { after?: string; limit: number }): Promise<ChangePage> {
    const after = filter.after ? decodeCursor(LIST, filter.after, [SEQ_KEY])[0] : '0';
    // In sequence values; an entry's positions are its value × CHANGE_RANGE_SIZE and the range after it.
    const [{ horizon }]: { horizon: string }[] = await this.dataSource.query(FEED_HORIZON_SQL);
    // The entry whose range holds the cursor began up to CHANGE_RANGE_SIZE - 1 positions before it.
    const heads: ChangeHead[] = await this.dataSource.query(`
      SELECT seq::text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", entity_type AS "entityType",
             entity_id AS "entityId", entity_ids IS NOT NULL AS "isRange", action, changes, batch_id AS "batchId"
        FROM change_log WHERE change_log.seq > $1::bigint - ${CHANGE_RANGE_SIZE} AND (change_log.seq > $1::bigint OR entity_ids IS NOT NULL)
         AND change_log.seq < $3::bigint * ${CHANGE_RANGE_SIZE}
       ORDER BY change_log.seq LIMIT $2`, [after, filter.limit + 1, horizon]);
    const found: ChangeRow[] = [];
    for (const { isRange, ...head } of heads) {
      if (found.length > filter.limit) break;
      if (!isRange) {
        found.push(head);
        continue;
      }
      const first = BigInt(after) >= BigInt(head.seq) ? BigInt(after) - BigInt(head.seq) + 1n : 0n;
      const entities = await this.rangeValues(head, Number(first), filter.limit + 1 - found.length);
      entities.forEach(({ entityId, changes }, i) => found.push({ ...head, seq: (BigInt(head.seq) + first + BigInt(i)).toString(), entityId, changes }));
    }
    const page = found.slice(0, filter.limit);
    const created = await this.createdValues(page.filter((r) => r.changes === null));
    const items = page.map((r) => ({ ...r, changes: maskClearValues(r.changes ?? created.get(`${r.entityType}:${r.entityId}`) ?? {}) }));
    const position = items.length > 0 ? encodeCursor(LIST, [items[items.length - 1].seq]) : (filter.after ?? null);
    return { items, nextCursor: position, hasMore: found.length > filter.limit || heads.length > filter.limit };
  }

  /**
   * The part of a range a page shows (count entities from index first), each with its fields as
   * they are now, in one statement: only that slice of the range is read.
   */
  private async rangeValues(head: ChangeRow, first: number, count: number): Promise<{ entityId: string; changes: Record<string, [unknown, unknown]> }[]> {
    const shape = createdShape(head.entityType);
    const found: Record<string, unknown>[] = await this.dataSource.query(`
      SELECT e.id::text AS "__id", ${selectedFields(shape)}
        FROM unnest((SELECT entity_ids[$2::int + 1 : $2::int + $3::int] FROM change_log WHERE seq = $1)) WITH ORDINALITY AS e(id, i)
        LEFT JOIN ${shape.table} t ON t.${shape.key} = e.id
       ORDER BY e.i`, [head.seq, first, count]);
    return found.map(({ __id, ...fields }) => ({ entityId: __id as string, changes: setFields(fields) }));
  }

  /** The fields of the entities created, as they are now: { field: [null, value] } by type:id, set fields only. */
  private async createdValues(creates: ChangeRow[]): Promise<Map<string, Record<string, [unknown, unknown]>>> {
    const values = new Map<string, Record<string, [unknown, unknown]>>();
    const byType = new Map<string, Set<string>>();
    for (const c of creates) (byType.get(c.entityType) ?? byType.set(c.entityType, new Set()).get(c.entityType)!).add(c.entityId);
    for (const [type, idSet] of byType) {
      const shape = createdShape(type);
      const found: Record<string, unknown>[] = await this.dataSource.query(
        `SELECT ${shape.key}::text AS "__id", ${selectedFields(shape)} FROM ${shape.table} t WHERE ${shape.key} = ANY($1::${shape.keyType}[])`, [[...idSet]]);
      for (const { __id, ...fields } of found) values.set(`${type}:${__id}`, setFields(fields));
    }
    return values;
  }
}

import { Injectable } from '@nestjs/common';
import { FEED_HORIZON_SQL } from '@qc/changes';
import { ChangeAction } from '@qc/database';
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
  /** { field: [before, after] }; a merge is { absorbed: [absorbedId, survivorId] }, an unmerge { mergedInto: [survivorId, null], …fields }. */
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

@Injectable()
export class ChangeFeedQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  /**
   * Entries after the cursor in seq order (the primary key serves it), below the feed's horizon:
   * never past an entry a merge still open may yet commit (feed-horizon.ts), so a follower skips none. Unlike the lists, the feed
   * always returns a cursor (where the reader is now, even after the last entry) so a follower can
   * poll from it; hasMore says whether to fetch again right away.
   */
  async list(filter: { after?: string; limit: number }): Promise<ChangePage> {
    const after = filter.after ? decodeCursor(LIST, filter.after, [SEQ_KEY])[0] : '0';
    const [{ horizon }]: { horizon: string }[] = await this.dataSource.query(FEED_HORIZON_SQL);
    const rows: ChangeView[] = await this.dataSource.query(`
      SELECT seq::text, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "occurredAt", entity_type AS "entityType",
             entity_id AS "entityId", action, changes, batch_id AS "batchId"
        FROM change_log WHERE change_log.seq > $1 AND change_log.seq < $3 ORDER BY change_log.seq LIMIT $2`, [after, filter.limit + 1, horizon]);
    const items = rows.slice(0, filter.limit).map((r) => ({ ...r, changes: maskClearValues(r.changes) }));
    const position = items.length > 0 ? encodeCursor(LIST, [items[items.length - 1].seq]) : (filter.after ?? null);
    return { items, nextCursor: position, hasMore: rows.length > filter.limit };
  }
}

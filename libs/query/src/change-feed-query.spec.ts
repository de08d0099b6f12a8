import { ChangeFeedQuery, maskClearValues } from './change-feed-query';

describe('maskClearValues', () => {
  it('masks a clear ID number or mobile wherever it appears, and leaves everything else alone', () => {
    expect(maskClearValues({
      idNumber: [null, '15010519850312123X'], phone: ['13812345678', null], name: [null, '张伟'], units: [2, 3], other: ['15010519850312123X', null],
    })).toEqual({
      idNumber: [null, '150105************'], phone: ['138****5678', null], name: [null, '张伟'], units: [2, 3], other: ['150105************', null],
    });
  });

  it('says that a birth date it shows is a year', () => {
    expect(maskClearValues({ birthDate: [null, '1985-03-12'] })).toEqual({ birthDate: [null, '1985-01-01'], birthPrecision: [null, 'year'] });
  });

  it('shows what a registry:read key may see: birth dates by their year, IDs of an older, wider mask by region', () => {
    expect(maskClearValues({
      birthDate: ['1985-03-12', '1986-07-01'], birthPrecision: [null, 'day'], idNumber: ['set', '150105********123X'], idEvidence: [null, '150105********123X'],
    })).toEqual({
      birthDate: ['1985-01-01', '1986-01-01'], birthPrecision: ['year', 'year'], idNumber: ['set', '150105************'], idEvidence: [null, '150105************'],
    });
  });
});

describe('ChangeFeedQuery', () => {
  const person = '01900000-0000-7000-8000-000000000001';
  const gone = '01900000-0000-7000-8000-000000000002';
  const entry = (seq: string, entityId: string, action: string, changes: object | null) => ({
    seq, occurredAt: '2026-01-01T00:00:00.000Z', entityType: 'person', entityId, action, changes, batchId: null,
  });

  it('shows a create with the entity as it is now, masked, and an entity gone since with no fields; stored changes as they are', async () => {
    const statements: { sql: string; parameters?: unknown[] }[] = [];
    const feed = new ChangeFeedQuery({
      async query(sql: string, parameters?: unknown[]) {
        statements.push({ sql, parameters });
        if (sql.includes('FROM change_log')) {
          return [entry('1', person, 'create', null), entry('2', gone, 'create', null), entry('3', person, 'update', { phone: [null, '13812345678'] })];
        }
        return [{ __id: person, name: '张伟', gender: 'M', birthDate: '1985-03-12', idNumber: '150105************', phone: null }];
      },
    } as never);
    const page = await feed.list({ limit: 10 });
    expect(page.items.map((i) => [i.seq, i.changes])).toEqual([
      ['1', { name: [null, '张伟'], gender: [null, 'M'], birthDate: [null, '1985-01-01'], birthPrecision: [null, 'year'], idNumber: [null, '150105************'] }],
      ['2', {}],
      ['3', { phone: [null, '138****5678'] }],
    ]);
    // One read for the page's creates of a type, whatever their number.
    expect(statements.filter((s) => s.sql.includes('FROM person'))).toEqual([expect.objectContaining({ parameters: [[person, gone]] })]);
  });
});

describe('ChangeFeedQuery over a range of creates', () => {
  const ids = ['01900000-0000-7000-8000-000000000011', '01900000-0000-7000-8000-000000000012', '01900000-0000-7000-8000-000000000013'];
  const rows = [
    { seq: '2048', occurredAt: '2026-01-01T00:00:00.000Z', entityType: 'person', entityId: ids[0], isRange: true, action: 'create', changes: null, batchId: null },
    { seq: '3072', occurredAt: '2026-01-01T00:00:00.000Z', entityType: 'person', entityId: ids[1], isRange: false, action: 'update', changes: { name: ['甲', '乙'] }, batchId: null },
  ];
  const slices: unknown[][] = [];
  const feed = new ChangeFeedQuery({
    async query(sql: string, parameters?: unknown[]) {
      if (sql.includes('entity_ids[')) {
        // The range's entities from index $2 (0-based), $3 of them, as PostgreSQL slices them.
        slices.push(parameters!);
        const [, from, count] = parameters!.map(Number);
        return ids.slice(from, from + count).map((id) => ({ __id: id, name: `n${id.slice(-1)}` }));
      }
      // No feed writer open: the horizon lies past every entry.
      if (sql.includes('change_log_seq_seq')) return [{ horizon: '1000' }];
      if (sql.includes('FROM change_log')) return rows.filter((r) => BigInt(r.seq) > BigInt(parameters![0] as string) || r.isRange);
      return (parameters![0] as string[]).map((id) => ({ __id: id, name: `n${id.slice(-1)}` }));
    },
  } as never);

  it('serves one item per entity at its own position, and a page that ends inside the range continues there', async () => {
    const first = await feed.list({ limit: 2 });
    expect(first.items.map((i) => [i.seq, i.entityId, i.action, i.changes])).toEqual([
      ['2048', ids[0], 'create', { name: [null, 'n1'] }], ['2049', ids[1], 'create', { name: [null, 'n2'] }],
    ]);
    expect(first.hasMore).toBe(true);
    const second = await feed.list({ after: first.nextCursor!, limit: 2 });
    expect(second.items.map((i) => [i.seq, i.entityId, i.action])).toEqual([['2050', ids[2], 'create'], ['3072', ids[1], 'update']]);
    expect(second.hasMore).toBe(false);
    expect(second.items.every((i) => !('isRange' in i))).toBe(true);
    // Each page reads only the part of the range it shows, with the values (the first page one item beyond its limit, to know there is more).
    expect(slices).toEqual([['2048', 0, 3], ['2048', 2, 3]]);
  });
});

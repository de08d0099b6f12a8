import { ChangeEntry, changeRows } from './change-recorder';

const id = (n: number) => `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const batch = '01900000-0000-7000-8000-ffffffffffff';
const create = (entityType: string, n: number): ChangeEntry => ({ entityType, entityId: id(n), action: 'create', changes: {}, batchId: batch, actor: `batch:${batch}` });

describe('changeRows', () => {
  it('stores a batch\'s creates of one type as one range at the first one\'s place, with no values and no actor', () => {
    const update: ChangeEntry = { entityType: 'organization', entityId: id(9), action: 'update', changes: { name: ['a', 'b'] }, batchId: batch, actor: `batch:${batch}` };
    const rows = changeRows([create('person', 1), create('membership', 2), update, create('person', 3), create('membership', 4), create('person', 5)]);
    expect(rows.map((r) => [r.entityType, r.action, r.entityId, r.entityIds, r.changes, r.actor])).toEqual([
      ['person', 'create', id(1), [id(1), id(3), id(5)], null, null],
      ['membership', 'create', id(2), [id(2), id(4)], null, null],
      ['organization', 'update', id(9), null, { name: ['a', 'b'] }, null],
    ]);
  });

  it('keeps apart what differs in type, batch or actor, a lone create, a code-keyed entity, and a create of an entity named before it in the run', () => {
    const restored: ChangeEntry = { ...create('membership', 7), batchId: null, actor: 'curator' };
    const deleted: ChangeEntry = { entityType: 'membership', entityId: id(8), action: 'delete', changes: {}, batchId: batch, actor: `batch:${batch}` };
    const division: ChangeEntry = { entityType: 'division', entityId: '150105001019', action: 'create', changes: {}, batchId: batch, actor: `batch:${batch}` };
    const rows = changeRows([create('membership', 6), restored, deleted, create('membership', 8), division, { ...create('membership', 10), actor: 'seed' }]);
    expect(rows.map((r) => [r.entityId, r.entityIds, r.actor])).toEqual([
      [id(6), null, null], [id(7), null, 'curator'], [id(8), null, null], [id(8), null, null], ['150105001019', null, null], [id(10), null, 'seed'],
    ]);
  });

  it('opens a new range once one holds CHANGE_RANGE_SIZE entities', () => {
    const rows = changeRows(Array.from({ length: 1025 }, (_, n) => create('person', n)));
    expect(rows.map((r) => r.entityIds?.length ?? 1)).toEqual([1024, 1]);
  });
});

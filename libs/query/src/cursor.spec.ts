import { decodeCursor, encodeCursor, QueryInputError, SEQ_KEY, toPage, UUID_KEY } from './cursor';

const ID = '0a4c6f0e-1b2c-4d3e-8f40-5a6b7c8d9e0f';

describe('keyset cursors', () => {
  it('round-trip the key of their own list', () => {
    expect(decodeCursor('persons', encodeCursor('persons', [ID]), [UUID_KEY])).toEqual([ID]);
    expect(decodeCursor('changes', encodeCursor('changes', ['1042']), [SEQ_KEY])).toEqual(['1042']);
  });

  it('refuse garbage, another list\'s cursor and keys of the wrong shape with a QueryInputError', () => {
    const refused = (cursor: string, list = 'persons', shape = [UUID_KEY]) => {
      try {
        decodeCursor(list, cursor, shape);
        return null;
      } catch (err) {
        return err instanceof QueryInputError ? err.message : `unexpected ${String(err)}`;
      }
    };
    expect(refused('not-a-cursor')).toMatch(/not valid/);
    expect(refused(Buffer.from('{"a":1}').toString('base64url'))).toMatch(/not valid/);
    expect(refused(encodeCursor('organizations', [ID]))).toBe('the cursor belongs to another list, not to persons');
    expect(refused(encodeCursor('persons', ["x' OR 1=1"]))).toMatch(/not valid/);
    expect(refused(encodeCursor('changes', ['0 OR 1=1']), 'changes', [SEQ_KEY])).toMatch(/not valid/);
    expect(refused(encodeCursor('persons', [ID, ID]))).toMatch(/not valid/);
  });

  it('page limit + 1 rows: the extra row only says another page follows', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toPage('x', rows, 2, (r) => [r.id]);
    expect(page.items).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursor('x', page.nextCursor!, [/^b$/])).toEqual(['b']);
    expect(toPage('x', rows, 3, (r) => [r.id]).nextCursor).toBeNull();
  });
});

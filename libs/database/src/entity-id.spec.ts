import { isUUID } from 'class-validator';
import { newEntityId } from './entity-id';

describe('newEntityId', () => {
  it('is a UUID that the API accepts as an id', () => {
    expect(isUUID(newEntityId())).toBe(true);
  });

  it('orders by creation, so new keys append to an index', () => {
    const ids = Array.from({ length: 2000 }, newEntityId);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

import { idBounds, IdSupply } from './stage-range-ids';

describe('IdSupply', () => {
  it('hands out the ids of consecutive runs in order, across runs and calls', () => {
    const supply = new IdSupply([['10', 3], ['20', 2], ['9007199254740993', 2]]);
    expect(supply.take(2)).toEqual(['10', '11']);
    expect(supply.take(3)).toEqual(['12', '20', '21']);
    expect(supply.take(2)).toEqual(['9007199254740993', '9007199254740994']);
  });

  it('refuses to hand out more ids than were reserved', () => {
    const supply = new IdSupply([['1', 2]]);
    expect(() => supply.take(3)).toThrow(/more rows than its pre-scan counted/);
  });

  it('bounds a reservation by its first and last id', () => {
    expect(idBounds([['10', 3], ['20', 2]])).toEqual(['10', '21']);
    expect(idBounds([])).toBeNull();
  });
});

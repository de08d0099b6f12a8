import { pickNamedHolder } from './role-holder';

describe('pickNamedHolder', () => {
  const at = (id: string, inOrganization: boolean, residenceKey: string | null = null) => ({ id, inOrganization, residenceKey });

  it('finds no one when the scope has no person of that name', () => {
    expect(pickNamedHolder([])).toEqual({ kind: 'none' });
  });

  it('takes the one namesake of the scope', () => {
    expect(pickNamedHolder([at('a', false)])).toEqual({ kind: 'unique', personId: 'a' });
  });

  it("prefers the organization's own member to a namesake elsewhere in the community", () => {
    expect(pickNamedHolder([at('a', false), at('b', true)])).toEqual({ kind: 'unique', personId: 'b' });
  });

  it('tells namesakes apart by the building they live in', () => {
    const candidates = [at('a', false, '航苑/10/2/301'), at('b', false, '航苑/12/1/101')];
    expect(pickNamedHolder(candidates, { compound: '航苑小区', buildingKey: '10' })).toEqual({ kind: 'unique', personId: 'a' });
  });

  it('never guesses between namesakes the place does not separate', () => {
    const candidates = [at('a', true, '航苑/10/2/301'), at('b', true, '航苑/10/1/101'), at('c', false)];
    expect(pickNamedHolder(candidates, { compound: '航苑小区', buildingKey: '10' })).toEqual({ kind: 'ambiguous', personIds: ['a', 'b'] });
    expect(pickNamedHolder([at('a', false), at('b', false)])).toEqual({ kind: 'ambiguous', personIds: ['a', 'b'] });
  });
});

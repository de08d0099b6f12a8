import { pickNamedHolder } from './role-holder';

describe('pickNamedHolder', () => {
  const NAME = '薛桂芝';
  const at = (id: string, inOrganization: boolean, residenceKey: string | null = null, name = NAME) => ({ id, name, inOrganization, residenceKey });

  it('finds no one when the scope has no person of that name', () => {
    expect(pickNamedHolder(NAME, [])).toEqual({ kind: 'none' });
  });

  it('takes the one namesake of the scope', () => {
    expect(pickNamedHolder(NAME, [at('a', false)])).toEqual({ kind: 'unique', personId: 'a' });
  });

  it("prefers the organization's own member to a namesake elsewhere in the community", () => {
    expect(pickNamedHolder(NAME, [at('a', false), at('b', true)])).toEqual({ kind: 'unique', personId: 'b' });
  });

  it('tells namesakes apart by the building they live in', () => {
    const candidates = [at('a', false, '航苑/10/2/301'), at('b', false, '航苑/12/1/101')];
    expect(pickNamedHolder(NAME, candidates, { compound: '航苑小区', buildingKey: '10' })).toEqual({ kind: 'unique', personId: 'a' });
  });

  it('never guesses between namesakes the place does not separate', () => {
    const candidates = [at('a', true, '航苑/10/2/301'), at('b', true, '航苑/10/1/101'), at('c', false)];
    expect(pickNamedHolder(NAME, candidates, { compound: '航苑小区', buildingKey: '10' })).toEqual({ kind: 'ambiguous', personIds: ['a', 'b'] });
    expect(pickNamedHolder(NAME, [at('a', false), at('b', false)])).toEqual({ kind: 'ambiguous', personIds: ['a', 'b'] });
  });

  it('takes the one person whose name is a spelling of the written one (a homophone, a transliteration) when no one bears it as written', () => {
    expect(pickNamedHolder('薛贵芝', [at('a', true)])).toEqual({ kind: 'unique', personId: 'a' });
    expect(pickNamedHolder('苏合巴鲁', [at('a', false, null, '苏和巴鲁')])).toEqual({ kind: 'unique', personId: 'a' });
  });

  it('looks at spellings only when no one in scope bears the name as written', () => {
    expect(pickNamedHolder(NAME, [at('a', true, null, '薛贵芝'), at('b', false)])).toEqual({ kind: 'unique', personId: 'b' });
  });

  it('never takes a person of an unrelated name, and never guesses between two spellings', () => {
    expect(pickNamedHolder(NAME, [at('a', true, null, '林国栋')])).toEqual({ kind: 'none' });
    expect(pickNamedHolder('薛贵芝', [at('a', true), at('b', true, null, '薛桂枝')])).toEqual({ kind: 'ambiguous', personIds: ['a', 'b'] });
  });
});

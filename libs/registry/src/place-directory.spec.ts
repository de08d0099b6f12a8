import { Division } from '@qc/database';
import { EntityManager } from 'typeorm';
import { reasonText } from '@qc/reasons';
import { ChangeBuffer } from './change-buffer';
import { PlaceDirectory } from './place-directory';

const division = (code: string, name: string, level: Division['level'], parentCode: string | null) =>
  ({ code, name, shortName: name, level, parentCode }) as Division;

const DIVISIONS = [
  division('150100000000', '呼和浩特市', 'city', null),
  division('150105000000', '赛罕区', 'district', '150100000000'),
  division('150105006000', '昭乌达南路街道', 'street', '150105000000'),
  division('150105006039', '滨河社区居委会', 'community', '150105006000'),
  division('150121000000', '土默特左旗', 'district', '150100000000'),
  division('150121100000', '察素齐镇', 'street', '150121000000'),
  division('150121100003', '滨河社区', 'community', '150121100000'),
  division('150123000000', '和林格尔县', 'district', '150100000000'),
  division('150123400000', '盛乐经济工业园区', 'street', '150123000000'),
  division('150123400502', '三农场生活区居委会', 'community', '150123400000'),
];

function directory(): PlaceDirectory {
  const manager = { find: async () => DIVISIONS } as unknown as EntityManager;
  return new PlaceDirectory(manager, {} as ChangeBuffer);
}

describe('PlaceDirectory.community', () => {
  it('reads the division names once when look-ups of a run ask for them at the same time', async () => {
    const places = directory();
    const named = await Promise.all([places.communitiesNamed({ community: '三农场生活区' }), places.communitiesNamed({ community: '滨河社区' })]);
    expect(named).toEqual([['150123400502'], ['150105006039', '150121100003']]);
  });

  it('refuses a community name that several communities share, naming them', async () => {
    const found = await directory().community({ community: '滨河社区' });
    expect(found).toMatchObject({ ok: false, reason: { code: 'community-ambiguous' } });
    expect(!found.ok && reasonText(found.reason)).toContain('names 2 communities');
    expect(!found.ok && found.candidates?.map((c) => c.code).sort()).toEqual(['150105006039', '150121100003']);
  });

  it('tells them apart by the street in a full prefix, although every one is in the city', async () => {
    const found = await directory().community({ community: '呼和浩特市赛罕区昭乌达南路街道滨河社区' });
    expect(found.ok && found.value.code).toBe('150105006039');
  });

  it('tells them apart by a street given in another column', async () => {
    const found = await directory().community({ community: '滨河', subdistrict: '察素齐镇' });
    expect(found.ok && found.value.code).toBe('150121100003');
  });

  it('reads the community of a ledger from its title, once', async () => {
    const places = directory();
    expect(await places.ledgerCommunity('赛罕区昭乌达南路街道滨河社区党员花名册（2023年） 台账.xlsx')).toBe('150105006039');
  });

  it('reads a ledger of a residents\' committee named after a 生活区, which the division table knows', async () => {
    expect(await directory().ledgerCommunity('和林格尔县盛乐经济工业园区三农场生活区党建台账.xlsx')).toBe('150123400502');
    expect(await directory().ledgerCommunity('航苑生活区党员花名册.xlsx')).toBeNull();
  });
});

describe('PlaceDirectory.community within one merge', () => {
  it('reads a bare shared name as the community the same merge already named with its street', async () => {
    const places = directory();
    await places.community({ community: '滨河', subdistrict: '察素齐镇' });
    const found = await places.community({ community: '滨河社区' });
    expect(found.ok && found.value.code).toBe('150121100003');
  });
});

it('reads a bare shared name as the community an official code gave it earlier in the merge', async () => {
  const places = directory();
  await places.noteName('滨河', DIVISIONS[3]);
  const found = await places.community({ community: '滨河' });
  expect(found.ok && found.value.code).toBe('150105006039');
});

import { compareCommunityStats, findStatsQuery } from './community-stats';

class WithStats {
  async communityStats(code: string) {
    return code === '150105001019' ? { name: '兴康社区', grids: 5, members: 400, minorityShare: 0.24571 } : null;
  }
}

describe('community stats', () => {
  it('finds a stats method on a service, and nothing on a service without one', () => {
    expect(findStatsQuery(new WithStats())?.method).toBe('communityStats');
    expect(findStatsQuery(new (class { async findWithChildren() { return null; } })())).toBeNull();
  });

  it('compares every numeric truth figure, within the rounding of shares', async () => {
    const { method, query } = findStatsQuery(new WithStats())!;
    const truth = {
      communities: {
        '150105001019': { name: '兴康社区', grids: 5, members: 398, minorityShare: 0.2457 },
        '150102004008': { name: '河西社区', grids: 3 },
      },
      city: {},
    };
    expect(await compareCommunityStats(truth, method, query)).toEqual({
      method: 'communityStats',
      communities: 2,
      fieldsCompared: 4,
      mismatches: [
        { code: '150105001019', field: 'members', truth: 398, registry: 400 },
        { code: '150102004008', field: 'grids', truth: 3, registry: null },
      ],
    });
  });
});

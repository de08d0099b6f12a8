import { CITY_CODE } from '@qc/divisions';
import { compareStats, describeMismatches } from './division-stats';

const REGISTRY: Record<string, object> = {
  '150105001019': { communities: 1, grids: 5, members: 400, minorityShare: 0.2457 },
  '150102004008': { communities: 1, grids: 3, members: 118, minorityShare: null },
  [CITY_CODE]: { communities: 1378, members: 518, redPropertyBranches: 26 },
};

describe('compareStats', () => {
  it('compares every numeric truth figure of each community and of the city, except the city’s community count', async () => {
    const truth = {
      communities: {
        '150105001019': { name: '兴康社区', grids: 5, members: 398, minorityShare: 0.2457 },
        '150102004008': { name: '河西社区', grids: 3, members: 118, minorityShare: 0.1427 },
      },
      city: { communities: 2, members: 516, redPropertyBranches: 27 },
    };
    const comparison = await compareStats(truth, async (code) => REGISTRY[code]);
    expect(comparison).toEqual({
      communities: 2,
      figuresCompared: 8,
      mismatches: [
        { code: '150105001019', name: '兴康社区', field: 'members', truth: 398, registry: 400 },
        { code: '150102004008', name: '河西社区', field: 'minorityShare', truth: 0.1427, registry: null },
        { code: CITY_CODE, name: 'city', field: 'members', truth: 516, registry: 518 },
        { code: CITY_CODE, name: 'city', field: 'redPropertyBranches', truth: 27, registry: 26 },
      ],
    });
    expect(describeMismatches(comparison)).toEqual([
      '  members: differs in 2 (e.g. 兴康社区: truth 398, registry 400)',
      '  minorityShare: differs in 1 (e.g. 河西社区: truth 0.1427, registry none)',
      '  redPropertyBranches: differs in 1 (e.g. city: truth 27, registry 26)',
    ]);
  });
});

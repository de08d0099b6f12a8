import { loadSurvivorship, SourceRanking } from './survivorship';
import { confirmingSources, membershipRanking, membershipSourceRank } from './unconfirmed-memberships';

describe('the sources of the unconfirmed-membership rule', () => {
  it('takes the roster and the retired app from the membership ranking of the shipped rules', () => {
    const rules = loadSurvivorship();
    expect(membershipRanking(rules)).toEqual((rules.membership as Record<string, string[]>).organizationId);
    expect(confirmingSources(rules)).toEqual({ roster: 'S1', retired: 'S5' });
  });

  it('follows the ranking when it changes, and falls back to the default order without a membership rule', () => {
    expect(confirmingSources({ default: ['S6', 'S1'], membership: { organizationId: ['S3', 'S1', 'S2'] } } as SourceRanking)).toEqual({ roster: 'S3', retired: 'S2' });
    expect(confirmingSources({ default: ['S6', 'S1', 'S5'] })).toEqual({ roster: 'S6', retired: 'S5' });
  });

  it('has no rule when fewer than two sources are ranked: one source cannot confirm or contradict itself', () => {
    expect(confirmingSources({ default: [], membership: { organizationId: ['S1'] } } as SourceRanking)).toBeNull();
    expect(confirmingSources({ default: [] })).toBeNull();
  });

  it('ranks a membership source by its place in the ranking, an unnamed or missing source after every named one', () => {
    const rules = { default: [], membership: { organizationId: ['S1', 'S3', 'S5'] } } as SourceRanking;
    expect(['S1', 'S3', 'S5', 'S9', undefined].map((s) => membershipSourceRank(rules, s))).toEqual([0, 1, 2, 3, 3]);
  });
});

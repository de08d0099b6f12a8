import { EtaEstimator, formatAmount, formatEta, percentOf, phaseOf } from './progress';

describe('import progress', () => {
  it('takes the API\'s phase, else reads one from the status', () => {
    expect(phaseOf('staging', { phase: 'matching', done: 1, total: 2 })).toBe('matching');
    expect(phaseOf('staging', { done: 1, total: null })).toBe('reading');
    expect(phaseOf('merging', undefined)).toBe('merging');
    expect(phaseOf('queued', undefined)).toBe('queued');
    expect(phaseOf('rolled_back', undefined)).toBe('done');
  });

  it('gives a percentage only when the total is known', () => {
    expect(percentOf({ done: 50, total: 200 })).toBe(25);
    expect(percentOf({ done: 5, total: null })).toBeNull();
    expect(percentOf({ done: 300, total: 200 })).toBe(100);
  });

  it('writes amounts and time left in Chinese', () => {
    expect(formatAmount({ done: 1200, total: 30000, unit: 'rows' })).toBe('1,200 / 30,000 行');
    expect(formatAmount({ done: 2 * 1024 * 1024, total: 14 * 1024 * 1024, unit: 'bytes' })).toBe('2.0 / 14.0 MB');
    expect(formatEta(125)).toBe('预计剩余：约 2 分 5 秒');
    expect(formatEta(3725)).toBe('预计剩余：约 1 小时 2 分 5 秒');
    expect(formatEta(0.2)).toBe('预计剩余：不到 1 秒');
    expect(formatEta(null)).toBe('预计剩余时间：计算中');
  });

  it('estimates from the rate within a phase, and starts again in the next one', () => {
    const eta = new EtaEstimator();
    expect(eta.estimate('reading', { done: 0, total: 1000 }, 0)).toBeNull();
    expect(eta.estimate('reading', { done: 100, total: 1000 }, 1000)).toBe(9);
    expect(eta.estimate('merging', { done: 10, total: 1000 }, 2000)).toBeNull();
    expect(eta.estimate('merging', { done: 110, total: 1000 }, 3000)).toBe(8.9);
    // The API's own estimate wins, even a null one.
    expect(eta.estimate('merging', { done: 120, total: 1000, etaSeconds: 42 }, 4000)).toBe(42);
  });
});

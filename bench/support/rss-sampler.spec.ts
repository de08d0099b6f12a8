import { parseStatusKb, PeakSampler, readProcessPeakMb } from './rss-sampler';

const STATUS = ['Name:\tnode', 'VmPeak:\t 1200000 kB', 'VmHWM:\t  250880 kB', 'VmRSS:\t  201728 kB', 'Threads:\t11'].join('\n');

describe('parseStatusKb', () => {
  it('reads the named line in kB', () => {
    expect(parseStatusKb(STATUS, 'VmHWM')).toBe(250880);
    expect(parseStatusKb(STATUS, 'VmRSS')).toBe(201728);
  });

  it('is null when the line is absent, as for a zombie', () => {
    expect(parseStatusKb('Name:\tnode\nState:\tZ (zombie)\n', 'VmHWM')).toBeNull();
  });
});

describe('readProcessPeakMb', () => {
  it('reads a live process and gives null for one that is gone', () => {
    expect(readProcessPeakMb(process.pid)).toBeGreaterThan(10);
    expect(readProcessPeakMb(2 ** 22 + 1)).toBeNull();
  });
});

describe('PeakSampler', () => {
  it('keeps the highest reading, including one taken on stop', async () => {
    const readings = [5, 9, 7, null];
    let next = 0;
    const sampler = new PeakSampler(() => (next < readings.length ? readings[next++] : 3), 5).start();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(sampler.stop()).toBe(9);
  });

  it('is null when nothing could be read', () => {
    expect(new PeakSampler(() => null).start().stop()).toBeNull();
  });
});

import { bestOfAlternating, timed } from './timer';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('timed', () => {
  it('returns the value and the wall time taken', async () => {
    const { seconds, value } = await timed(async () => {
      await sleep(30);
      return 'done';
    });
    expect(value).toBe('done');
    expect(seconds).toBeGreaterThanOrEqual(0.025);
    expect(seconds).toBeLessThan(1);
  });
});

describe('bestOfAlternating', () => {
  it('rotates which task goes first each round', async () => {
    const calls: string[] = [];
    await bestOfAlternating(3, [async () => calls.push('a'), async () => calls.push('b')]);
    expect(calls).toEqual(['a', 'b', 'b', 'a', 'a', 'b']);
  });

  it("keeps each task's fastest round, with that round's value", async () => {
    const delays = [40, 5, 20];
    let round = 0;
    const [slowFirst, steady] = await bestOfAlternating(3, [
      async () => {
        const delay = delays[round++];
        await sleep(delay);
        return delay;
      },
      async () => {
        await sleep(10);
        return 10;
      },
    ]);
    expect(slowFirst.value).toBe(5);
    expect(slowFirst.seconds).toBeLessThan(0.02);
    expect(steady.value).toBe(10);
  });

  it('refuses zero rounds', async () => {
    await expect(bestOfAlternating(0, [async () => 1])).rejects.toThrow('at least one round');
  });
});

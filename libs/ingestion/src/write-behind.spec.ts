import { WriteBehind } from './write-behind';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBehind', () => {
  it('returns while a write runs, and starts the next only after it', async () => {
    const events: string[] = [];
    let finishFirst!: () => void;
    const writes = new WriteBehind();
    await writes.write(() => new Promise<void>((resolve) => { events.push('first started'); finishFirst = () => { events.push('first done'); resolve(); }; }));
    events.push('caller goes on');
    const second = writes.write(async () => { events.push('second started'); });
    await tick();
    expect(events).toEqual(['first started', 'caller goes on']);
    finishFirst();
    await second;
    await writes.drain();
    expect(events).toEqual(['first started', 'caller goes on', 'first done', 'second started']);
  });

  it('throws a failed write at the next write, without running it', async () => {
    const writes = new WriteBehind();
    await writes.write(async () => { throw new Error('connection lost'); });
    let ran = false;
    await expect(writes.write(async () => { ran = true; })).rejects.toThrow('connection lost');
    expect(ran).toBe(false);
  });

  it('throws a failed write at drain, and settle ignores it', async () => {
    const writes = new WriteBehind();
    await writes.write(async () => { throw new Error('disk full'); });
    await expect(writes.drain()).rejects.toThrow('disk full');
    await expect(writes.settle()).resolves.toBeUndefined();
  });
});

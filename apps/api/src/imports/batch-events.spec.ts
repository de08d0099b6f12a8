import { Logger } from '@qc/logging';
import { FastifyReply } from 'fastify';
import { EventEmitter } from 'node:events';
import { BatchEvents, EventState, KEEP_ALIVE_MS, POLL_MS } from './batch-events';

/** A reply whose raw response records what is written to it. */
function fakeReply() {
  const raw = Object.assign(new EventEmitter(), {
    written: [] as string[],
    writableEnded: false,
    writeHead: jest.fn(),
    write(text: string) { raw.written.push(text); return true; },
    end() { raw.writableEnded = true; },
  });
  return { reply: { hijack: jest.fn(), raw } as unknown as FastifyReply, raw };
}

const logger = { warn: jest.fn() } as unknown as Logger;

describe('BatchEvents', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends an event when the batch changes, a keep-alive comment after 15 s of silence, and ends when the batch is final', async () => {
    const events = new BatchEvents(logger);
    const { reply, raw } = fakeReply();
    let state: EventState = { final: false, body: { done: 1 } };
    const look = jest.fn(async () => state);
    events.open(reply, 'b1', look);
    await jest.advanceTimersByTimeAsync(0);
    expect(raw.written).toEqual(['event: progress\ndata: {"done":1}\n\n']);
    // Unchanged: nothing is sent until the keep-alive is due.
    await jest.advanceTimersByTimeAsync(KEEP_ALIVE_MS - POLL_MS);
    expect(raw.written).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(raw.written[1]).toBe(': keep-alive\n\n');
    state = { final: true, body: { done: 2 } };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(raw.written[2]).toBe('event: progress\ndata: {"done":2}\n\n');
    expect(raw.writableEnded).toBe(true);
    expect(events.openStreams).toBe(0);
    const looks = look.mock.calls.length;
    await jest.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(look.mock.calls.length).toBe(looks);
  });

  it('stops looking as soon as the client goes away, and closes every stream at shutdown', async () => {
    const events = new BatchEvents(logger);
    const gone = fakeReply();
    const look = jest.fn(async (): Promise<EventState> => ({ final: false, body: {} }));
    events.open(gone.reply, 'b1', look);
    const open = fakeReply();
    events.open(open.reply, 'b2', async () => ({ final: false, body: {} }));
    await jest.advanceTimersByTimeAsync(0);
    expect(events.openStreams).toBe(2);
    gone.raw.emit('close');
    const looks = look.mock.calls.length;
    await jest.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(look.mock.calls.length).toBe(looks);
    expect(events.openStreams).toBe(1);
    events.closeAll();
    expect(open.raw.writableEnded).toBe(true);
    expect(events.openStreams).toBe(0);
  });
});

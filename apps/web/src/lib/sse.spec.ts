import { SseParser } from './sse';

describe('SseParser', () => {
  it('yields each event once its blank line arrives, across chunk boundaries', () => {
    const parser = new SseParser();
    expect(parser.push('event: progress\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n')).toEqual([]);
    expect(parser.push('\nevent: progress\r\ndata: 2\r\n\r\n')).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'progress', data: '2' },
    ]);
  });

  it('joins data lines, ignores comments, and names an unnamed event message', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\ndata: one\ndata: two\nid: 7\n\n')).toEqual([{ event: 'message', data: 'one\ntwo' }]);
  });
});

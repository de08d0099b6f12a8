import { RawRow } from './types';

/**
 * Take the first `n` rows of each sheet for layout detection while keeping the stream usable:
 * yields one group per sheet with its head rows and an iterator over the rest of that sheet.
 * The rest must be consumed (or abandoned) before asking for the next group.
 */
export async function* peekRows(
  rows: AsyncIterable<RawRow>,
  n: number,
): AsyncGenerator<{ sheet: string | null; head: RawRow[]; rest: AsyncIterable<RawRow> }> {
  const it = rows[Symbol.asyncIterator]();
  let pending: IteratorResult<RawRow> = await it.next();
  while (!pending.done) {
    const sheet = pending.value.sheet;
    const head: RawRow[] = [];
    while (!pending.done && pending.value.sheet === sheet && head.length < n) {
      head.push(pending.value);
      pending = await it.next();
    }
    let finished = false;
    const rest: AsyncIterable<RawRow> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<RawRow>> => {
          if (finished || pending.done || pending.value.sheet !== sheet) {
            finished = true;
            return { done: true, value: undefined };
          }
          const value = pending.value;
          pending = await it.next();
          return { done: false, value };
        },
      }),
    };
    yield { sheet, head, rest };
    // skip whatever the consumer left of this sheet
    while (!pending.done && pending.value.sheet === sheet) pending = await it.next();
  }
}

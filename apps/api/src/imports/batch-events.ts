import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, Logger } from '@qc/logging';
import { stringifyWithOffsets } from '@qc/time';
import { FastifyReply } from 'fastify';

/** How often a stream looks at its batch: often enough for a bar to move smoothly, one query set per look. */
export const POLL_MS = 500;
/** Proxies and browsers drop a connection silent for long; a comment line keeps it open. */
export const KEEP_ALIVE_MS = 15_000;

/** What a stream shows at a look: the body of its event, and whether the batch is final (the stream then ends); null once the batch is gone. */
export type EventState = { final: boolean; body: unknown } | null;

/**
 * Server-Sent Events of import batches. Each stream polls its batch server-side and sends an event
 * `progress` whenever the body changes, ends after the batch is final, and stops (its timer cleared)
 * as soon as the client goes away or the API shuts down: no stream outlives its connection.
 */
@Injectable()
export class BatchEvents {
  private readonly streams = new Set<() => void>();

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** How many streams are open: a test sees that none is left behind. */
  get openStreams(): number {
    return this.streams.size;
  }

  open(reply: FastifyReply, batchId: string, look: () => Promise<EventState>): void {
    // The answer is written here, not by Fastify: hooks that expect one body (ETag) stay out of it.
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    let last: string | null = null;
    let lastWriteAt = Date.now();
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      this.streams.delete(close);
      if (!raw.writableEnded) raw.end();
    };
    this.streams.add(close);
    raw.on('close', close);
    const tick = async () => {
      try {
        const state = await look();
        if (closed) return;
        if (state) {
          const data = stringifyWithOffsets(state.body);
          if (data !== last) {
            raw.write(`event: progress\ndata: ${data}\n\n`);
            last = data;
            lastWriteAt = Date.now();
          } else if (Date.now() - lastWriteAt >= KEEP_ALIVE_MS) {
            raw.write(': keep-alive\n\n');
            lastWriteAt = Date.now();
          }
        }
        if (!state || state.final) return close();
      } catch (err) {
        this.logger.warn({ batch: batchId, err: (err as Error).message }, 'import events stream stopped');
        return close();
      }
      timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }

  closeAll(): void {
    for (const close of [...this.streams]) close();
  }
}

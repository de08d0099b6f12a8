import { BadRequestException, HttpException, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { FINAL_BATCH_STATUSES } from '@qc/database';
import { maskFileName } from '@qc/readers';
import { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { sanitizeUploadName } from './upload-name';

/** An upload that never became a batch (the request failed half-way) is removed after this long. */
const ORPHAN_AFTER_MS = 60 * 60 * 1000;

/**
 * Where uploaded files are kept: each in a folder of its own, so equal names never meet. A file is
 * needed only until its batch ends (its rows, raw cells included, are in source_record by then),
 * so each upload first clears away the files of batches that have ended.
 */
@Injectable()
export class UploadStore {
  constructor(private readonly config: AppConfig, @InjectDataSource() private readonly dataSource: DataSource) {}

  private get root(): string {
    return join(this.config.dataDir, 'uploads');
  }

  /** Removes the upload folders whose batch has ended, and those no batch ever claimed. Returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const folders = await readdir(this.root).catch(() => [] as string[]);
    if (folders.length === 0) return 0;
    const paths = folders.map((folder) => join(this.root, folder));
    const rows: { folder: string; status: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (folder) regexp_replace(file_path, '/[^/]*$', '') AS folder, status
         FROM import_batch WHERE regexp_replace(file_path, '/[^/]*$', '') = ANY($1) ORDER BY folder, created_at DESC`,
      [paths],
    );
    const statusOf = new Map(rows.map((row) => [row.folder, row.status]));
    let removed = 0;
    for (const path of paths) {
      const status = statusOf.get(path);
      const ended = status !== undefined && (FINAL_BATCH_STATUSES as readonly string[]).includes(status);
      const orphaned = status === undefined && now - ((await stat(path).catch(() => null))?.mtimeMs ?? now) > ORPHAN_AFTER_MS;
      if (!ended && !orphaned) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /**
   * Streams the multipart field `file` to <dataDir>/uploads/<uuid>/<safe name>; returns that path.
   * A body that ends before its file part does (no closing boundary), or that sends nothing for
   * uploadTimeoutMs, is a 400, and its partial file and file handle are let go of at once.
   */
  async save(request: FastifyRequest): Promise<string> {
    if (!request.isMultipart()) throw new UnsupportedMediaTypeException('send the file as multipart/form-data, in the field "file"');
    // Before the body is read: until request.file() starts the parser, the body waits in the socket.
    await this.prune();
    const folder = join(this.root, randomUUID());
    await mkdir(folder, { recursive: true });
    // request.file() pipes the body into the parser; the watch listens to it beside the parser from then on.
    const firstPart = request.file();
    firstPart.catch(() => undefined); // when the watch fails first, this promise's rejection has no one else to go to
    const body = watchBody(request.raw, this.config.uploadTimeoutMs);
    try {
      const part = await Promise.race([firstPart, body.failed]);
      if (!part || part.fieldname !== 'file') throw new BadRequestException('send the file in the multipart field "file"');
      // The parser destroys a part the body ended in the middle of, possibly before it was handed over.
      if (part.file.destroyed) throw new BadRequestException(INCOMPLETE_BODY);
      // Stored under its masked name, which is also the batch's: a client's file name can hold an ID number or a phone.
      const path = join(folder, maskFileName(sanitizeUploadName(part.filename)));
      await pipeline(part.file, createWriteStream(path, { flags: 'wx' }), { signal: body.signal });
      // The multipart limit stops the stream at the limit and marks it truncated.
      if (part.file.truncated) throw new PayloadTooLargeException(`the file is larger than the upload limit of ${this.config.maxUploadBytes} bytes`);
      return path;
    } catch (err) {
      await rm(folder, { recursive: true, force: true });
      throw asUploadError(err, body);
    } finally {
      body.dispose();
    }
  }
}

const INCOMPLETE_BODY = 'the multipart body ended early (a part cut off, or no closing boundary): send the whole file again';

/** Watches an upload's body: `failed` rejects (and `signal` aborts) when it sends nothing for timeoutMs, or the client goes away. */
function watchBody(raw: IncomingMessage, timeoutMs: number) {
  const controller = new AbortController();
  let rejectFailed!: (err: Error) => void;
  const failed = new Promise<never>((_, reject) => { rejectFailed = reject; });
  failed.catch(() => undefined);
  const fail = (err: Error) => {
    if (controller.signal.aborted) return;
    controller.abort(err);
    rejectFailed(err);
  };
  const stalled = () => fail(new BadRequestException(`the upload sent nothing for ${timeoutMs / 1000} s and was ended; send the whole file again`));
  const timer = setTimeout(stalled, timeoutMs);
  const onData = () => timer.refresh();
  const onClose = () => {
    if (!raw.complete) fail(new BadRequestException('the client closed the connection before the upload was complete'));
  };
  raw.on('data', onData).on('close', onClose);
  return {
    failed,
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      raw.off('data', onData).off('close', onClose);
    },
  };
}

/**
 * What the client is told: the upload's own refusals as they are; the stream torn down by a stall
 * or by the parser at a body that ended early, as a 400; a disk error stays an internal one.
 */
function asUploadError(err: unknown, body: ReturnType<typeof watchBody>): unknown {
  if (err instanceof HttpException) return err;
  if (body.signal.aborted) return body.signal.reason;
  const fileSystemError = typeof (err as NodeJS.ErrnoException)?.syscall === 'string';
  return fileSystemError ? err : new BadRequestException(INCOMPLETE_BODY);
}

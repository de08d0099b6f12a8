import { BadRequestException, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { FINAL_BATCH_STATUSES } from '@qc/database';
import { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
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

  /** Streams the multipart field `file` to <dataDir>/uploads/<uuid>/<safe name>; returns that path. */
  async save(request: FastifyRequest): Promise<string> {
    if (!request.isMultipart()) throw new UnsupportedMediaTypeException('send the file as multipart/form-data, in the field "file"');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new BadRequestException('send the file in the multipart field "file"');
    await this.prune();
    const folder = join(this.root, randomUUID());
    const path = join(folder, sanitizeUploadName(part.filename));
    await mkdir(folder, { recursive: true });
    try {
      await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
      // The multipart limit stops the stream at the limit and marks it truncated.
      if (part.file.truncated) throw new PayloadTooLargeException(`the file is larger than the upload limit of ${this.config.maxUploadBytes} bytes`);
    } catch (err) {
      await rm(folder, { recursive: true, force: true });
      throw err;
    }
    return path;
  }
}

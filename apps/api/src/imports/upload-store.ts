import { BadRequestException, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sanitizeUploadName } from './upload-name';

/** Where uploaded files are kept: each in a folder of its own, so equal names never meet. */
@Injectable()
export class UploadStore {
  constructor(private readonly config: AppConfig) {}

  /** Streams the multipart field `file` to <dataDir>/uploads/<uuid>/<safe name>; returns that path. */
  async save(request: FastifyRequest): Promise<string> {
    if (!request.isMultipart()) throw new UnsupportedMediaTypeException('send the file as multipart/form-data, in the field "file"');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new BadRequestException('send the file in the multipart field "file"');
    const folder = join(this.config.dataDir, 'uploads', randomUUID());
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

import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { FINAL_BATCH_STATUSES } from '@qc/database';
import { ImportsService } from '@qc/ingestion';
import { stringifyWithOffsets } from '@qc/time';
import { isUUID } from 'class-validator';
import { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImportBatchDto } from './import-batch.dto';

const POLL_MS = 250;

// Stub for W1 (the workbench's live progress): a minimal GET /v1/imports/{id}/events; W2's replaces it.
@ApiTags('imports')
@ApiBearerAuth()
@RequireScopes('imports:write')
@Controller('v1/imports')
export class ImportEventsStubController {
  constructor(private readonly imports: ImportsService) {}

  @Get(':id/events')
  @ApiOperation({ summary: 'A batch\'s progress as Server-Sent Events (event `progress`, the batch as JSON) until it is final' })
  @ApiProduces('text/event-stream')
  async events(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let batch = isUUID(id) ? await this.imports.get(id) : null;
    if (!batch) throw new NotFoundException('no import batch with that id');
    let closed = false;
    request.raw.on('close', () => { closed = true; });
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    let last = '';
    while (!closed && batch) {
      const data = stringifyWithOffsets(ImportBatchDto.from(batch));
      if (data !== last) reply.raw.write(`event: progress\ndata: ${data}\n\n`);
      last = data;
      if (FINAL_BATCH_STATUSES.includes(batch.status)) break;
      await sleep(POLL_MS);
      batch = await this.imports.get(id);
    }
    reply.raw.end();
  }
}

import {
  Controller, Get, HttpCode, HttpStatus, Inject, NotFoundException, OnModuleDestroy, Param, Post, Query, Req, Res, UnprocessableEntityException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation,
  ApiPayloadTooLargeResponse, ApiProduces, ApiTags, ApiUnprocessableEntityResponse, ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthenticatedRequest, RequireScopes } from '@qc/auth';
import { FINAL_BATCH_STATUSES, ImportBatch } from '@qc/database';
import { keysetPages, writeCsv } from '@qc/export';
import { ImportRequestError, ImportsService, RejectionRow } from '@qc/ingestion';
import { LOGGER, Logger } from '@qc/logging';
import { BatchRollbackService } from '@qc/registry';
import { isUUID } from 'class-validator';
import { FastifyReply, FastifyRequest } from 'fastify';
import { basename } from 'node:path';
import { PassThrough } from 'node:stream';
import { ErrorBodyDto } from '../common/error-body.dto';
import { ETag } from '../common/etag';
import { BatchEvents } from './batch-events';
import {
  FIRST_REJECTIONS, ImportBatchDetailDto, ImportBatchDto, ImportBatchPageDto, ListImportsQueryDto, ListRejectionsQueryDto, RejectionDto, RejectionPageDto,
  RejectionsFilterDto, WarningDto,
} from './import-batch.dto';
import { RollbackResultDto } from './rollback-result.dto';
import { UploadStore } from './upload-store';

/** A rejection's place and reason as CSV cells: the row is its number alone (the sheet has a column of its own). */
async function* rejectionCells(rows: AsyncIterable<RejectionRow>): AsyncGenerator<unknown[]> {
  for await (const r of rows) yield [r.sourceFile, r.sheet, r.recordRef?.slice(r.recordRef.lastIndexOf('!') + 1) ?? null, r.column, r.reason, r.raw];
}

/** A page from up to limit + 1 rows: the extra row is not shown, it only says that another page follows. */
function toPage<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => string, toItem: (row: Row) => Item): { items: Item[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  return { items: shown.map(toItem), nextCursor: rows.length > limit ? keyOf(shown[shown.length - 1]) : null };
}

// Import batches: watching them needs imports:read (imports:write and admin grant it), importing imports:write.
@ApiTags('imports')
@ApiBearerAuth()
@RequireScopes('imports:read')
@Controller('v1/imports')
export class ImportsController implements OnModuleDestroy {
  constructor(
    private readonly imports: ImportsService,
    private readonly uploads: UploadStore,
    private readonly rollbacks: BatchRollbackService,
    private readonly events: BatchEvents,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleDestroy(): void {
    this.events.closeAll();
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScopes('imports:write')
  @ApiOperation({ summary: 'Upload a legacy export (CSV or XLSX) to import; poll GET /v1/imports/{id} until it is final' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAcceptedResponse({ type: ImportBatchDto, description: 'queued (or, for a file imported before, unchanged)' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'no multipart field "file"' })
  @ApiPayloadTooLargeResponse({ type: ErrorBodyDto, description: 'larger than the upload limit (QC_MAX_UPLOAD_BYTES)' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorBodyDto, description: 'not multipart/form-data' })
  @ApiUnprocessableEntityResponse({ type: ErrorBodyDto, description: 'a file no reader takes, told by its first bytes (no batch is recorded)' })
  async upload(@Req() request: FastifyRequest): Promise<ImportBatchDto> {
    const path = await this.uploads.save(request);
    const batch = await this.imports.submit(path, 'api', basename(path)).catch((err: unknown) => {
      // Refused by its first bytes: answered now, and no batch is recorded for it.
      throw err instanceof ImportRequestError ? new UnprocessableEntityException(err.message) : err;
    });
    return ImportBatchDto.from(batch);
  }

  @Get()
  @ApiOperation({ summary: 'Import batches, newest first' })
  @ApiOkResponse({ type: ImportBatchPageDto })
  async list(@Query() query: ListImportsQueryDto): Promise<ImportBatchPageDto> {
    const batches = await this.imports.listPage(query.limit + 1, query.after);
    return toPage(batches, query.limit, (b) => b.id, ImportBatchDto.from);
  }

  @Get(':id')
  @ETag()
  @ApiOperation({ summary: 'A batch: status, counts, progress by phase with the time left, layout per sheet, its first rejections and warnings; with ETag (If-None-Match: 304)' })
  @ApiOkResponse({ type: ImportBatchDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id') id: string): Promise<ImportBatchDetailDto> {
    return this.detail(await this.findBatch(id));
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'Server-Sent Events: `progress` with the batch (as GET /v1/imports/{id}) each time it changes; the stream ends once the batch is final',
    description: 'Polled server-side about every 500 ms; a comment line at least every 15 s keeps the connection open. Send the key as Authorization: Bearer (a fetch-based reader).',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of `event: progress` with `data: <ImportBatchDetailDto as JSON>`' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async stream(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const batch = await this.findBatch(id);
    // The first rejections and warnings change only with the batch's progress or status (they are
    // written in the same transactions): read again only then, one query per look otherwise.
    let lists: { key: string; detail: ImportBatchDetailDto } | null = null;
    this.events.open(reply, batch.id, async () => {
      const current = await this.imports.get(batch.id);
      if (!current) return null;
      const key = [current.status, current.progressPhase, current.progressDone, current.rejected, current.warnings].join('|');
      if (lists?.key !== key) lists = { key, detail: await this.detail(current) };
      const body: ImportBatchDetailDto = { ...ImportBatchDto.from(current), firstRejections: lists.detail.firstRejections, firstWarnings: lists.detail.firstWarnings };
      return { final: FINAL_BATCH_STATUSES.includes(current.status), body };
    });
  }

  @Get(':id/rejections')
  @ApiOperation({ summary: 'A batch\'s rejections in a stable order, page by page' })
  @ApiOkResponse({ type: RejectionPageDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async rejections(@Param('id') id: string, @Query() query: ListRejectionsQueryDto): Promise<RejectionPageDto> {
    const batch = await this.findBatch(id);
    const rows = await this.imports.rejectionsPage(query.limit + 1, { batchId: batch.id, after: query.after, q: query.q });
    return toPage(rows, query.limit, (r) => r.id, RejectionDto.from);
  }

  @Get(':id/rejections.csv')
  @ApiOperation({
    summary: 'Every rejection of a batch (or those matching q) as CSV for Excel (UTF-8 with BOM): file, sheet, row, column, reason, raw',
    description: 'The row as stored: ID numbers and phones are masked when a file is read, so no key sees them here. Cells a spreadsheet would run as formulas are defused.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv, as an attachment named after the file' })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async rejectionsCsv(@Param('id') id: string, @Query() query: RejectionsFilterDto, @Res() reply: FastifyReply): Promise<void> {
    const batch = await this.findBatch(id);
    const rows = keysetPages((after: string | null, limit) => this.imports.rejectionsPage(limit, { batchId: batch.id, after, q: query.q }), (r) => r.id);
    const body = new PassThrough();
    const name = `${batch.fileName.replace(/\.[^.]*$/, '')}-拒绝的行.csv`;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="rejections-${batch.id}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('cache-control', 'no-store')
      .send(body);
    // Headers are gone once rows flow: a failure now can only break the download off.
    writeCsv(rejectionCells(rows), body, { header: ['file', 'sheet', 'row', 'column', 'reason', 'raw'], bom: true })
      .catch((err: Error) => this.logger.warn({ batch: batch.id, err: err.message }, 'rejections download ended early'));
  }

  @Post(':id/rollback')
  @HttpCode(HttpStatus.OK)
  @RequireScopes('admin')
  @ApiOperation({ summary: 'Roll back a completed batch: remove what its records contributed (scope admin); again on a rolled-back batch changes nothing' })
  @ApiOkResponse({ type: RollbackResultDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'the batch is still running, or never changed the registry (failed, refused, unchanged)' })
  async rollback(@Param('id') id: string, @Req() request: AuthenticatedRequest): Promise<RollbackResultDto> {
    return this.rollbacks.rollback(id, `api-key:${request.apiKey!.name}`);
  }

  private async detail(batch: ImportBatch): Promise<ImportBatchDetailDto> {
    const rejections = await this.imports.rejectionsPage(FIRST_REJECTIONS, { batchId: batch.id });
    const warnings = await this.imports.warnings(batch.id, FIRST_REJECTIONS);
    return { ...ImportBatchDto.from(batch), firstRejections: rejections.map(RejectionDto.from), firstWarnings: warnings.map(WarningDto.from) };
  }

  private async findBatch(id: string): Promise<ImportBatch> {
    // Batch ids are UUIDs: anything else names no batch (and is not echoed back).
    const batch = isUUID(id) ? await this.imports.get(id) : null;
    if (!batch) throw new NotFoundException(isUUID(id) ? `no import batch ${id}` : 'no import batch with that id');
    return batch;
  }
}

import { Controller, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Query, Req, UnprocessableEntityException } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConflictResponse, ApiConsumes, ApiNotFoundResponse, ApiOkResponse, ApiOperation,
  ApiPayloadTooLargeResponse, ApiTags, ApiUnprocessableEntityResponse, ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { AuthenticatedRequest, RequireScopes } from '@qc/auth';
import { ImportBatch } from '@qc/database';
import { ImportRequestError, ImportsService } from '@qc/ingestion';
import { BatchRollbackService } from '@qc/registry';
import { isUUID } from 'class-validator';
import { FastifyRequest } from 'fastify';
import { basename } from 'node:path';
import { ErrorBodyDto } from '../common/error-body.dto';
import {
  FIRST_REJECTIONS, ImportBatchDetailDto, ImportBatchDto, ImportBatchPageDto, ListImportsQueryDto, ListRejectionsQueryDto, RejectionDto, RejectionPageDto, WarningDto,
} from './import-batch.dto';
import { RollbackResultDto } from './rollback-result.dto';
import { UploadStore } from './upload-store';

/** A page from up to limit + 1 rows: the extra row is not shown, it only says that another page follows. */
function toPage<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => string, toItem: (row: Row) => Item): { items: Item[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  return { items: shown.map(toItem), nextCursor: rows.length > limit ? keyOf(shown[shown.length - 1]) : null };
}

// Import batches are the importers' business: every route needs imports:write (admin has it too).
@ApiTags('imports')
@ApiBearerAuth()
@RequireScopes('imports:write')
@Controller('v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService, private readonly uploads: UploadStore, private readonly rollbacks: BatchRollbackService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
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
  @ApiOperation({ summary: 'A batch: status, counts, progress, layout per sheet, its first rejections and warnings' })
  @ApiOkResponse({ type: ImportBatchDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('id') id: string): Promise<ImportBatchDetailDto> {
    const batch = await this.findBatch(id);
    const rejections = await this.imports.rejectionsPage(FIRST_REJECTIONS, { batchId: batch.id });
    const warnings = await this.imports.warnings(batch.id, FIRST_REJECTIONS);
    return { ...ImportBatchDto.from(batch), firstRejections: rejections.map(RejectionDto.from), firstWarnings: warnings.map(WarningDto.from) };
  }

  @Get(':id/rejections')
  @ApiOperation({ summary: 'A batch\'s rejections in a stable order, page by page' })
  @ApiOkResponse({ type: RejectionPageDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async rejections(@Param('id') id: string, @Query() query: ListRejectionsQueryDto): Promise<RejectionPageDto> {
    const batch = await this.findBatch(id);
    const rows = await this.imports.rejectionsPage(query.limit + 1, { batchId: batch.id, after: query.after });
    return toPage(rows, query.limit, (r) => r.id, RejectionDto.from);
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

  private async findBatch(id: string): Promise<ImportBatch> {
    // Batch ids are UUIDs: anything else names no batch (and is not echoed back).
    const batch = isUUID(id) ? await this.imports.get(id) : null;
    if (!batch) throw new NotFoundException(isUUID(id) ? `no import batch ${id}` : 'no import batch with that id');
    return batch;
  }
}

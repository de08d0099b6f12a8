import { BadRequestException, Controller, Get, Headers, HttpException, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequireScopes } from '@qc/auth';
import { LOGGER, Logger } from '@qc/logging';
import { PersonalDataReaderContext } from '@qc/pii';
import { CONTENT_TYPES, formatOfFileName, REPORT_FORMATS, ReportFormat, ReportRequestError, ReportsService, writeReport } from '@qc/reports';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';
import { ApiErrors } from '../common/api-errors.decorator';
import { Reader } from '../common/reader.decorator';

export class ReportQueryDto {
  @ApiPropertyOptional({ description: 'a division code (150105, 150105000000), an organization id (roster) or an import batch id (quality); the city / every import when absent' })
  @IsOptional() @IsString() @MaxLength(64)
  scope?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, description: 'over the Accept header; a .xlsx/.csv/.json ending of the name wins over both' })
  @IsOptional() @IsIn(REPORT_FORMATS)
  format?: ReportFormat;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'structure: leave out communities no import has data for; by default true for the city, false below it' })
  @IsOptional() @IsIn(['true', 'false'])
  omitEmpty?: 'true' | 'false';
}

export class ReportSummaryDto {
  @ApiProperty({ example: 'structure' }) name: string;
  @ApiProperty({ example: '组织体系统计表' }) title: string;
  @ApiProperty({ description: 'what the scope parameter may be' }) scope: string;
}

/** The format asked for: the name's extension, then ?format=, then the Accept header; a workbook by default. */
function formatOf(byName: ReportFormat | null, query: ReportQueryDto, accept: string | undefined): ReportFormat {
  if (byName) return byName;
  if (query.format) return query.format;
  if (accept?.includes('text/csv')) return 'csv';
  if (accept?.includes('application/json') && !accept.includes('spreadsheetml')) return 'json';
  return 'xlsx';
}

/**
 * The report a path names and the format its ending asks for. An ending that is no format names no
 * report (404): roster.xml is not the roster as a workbook.
 */
function reportOfPath(nameParam: string): { name: string; format: ReportFormat | null } {
  const ending = /\.[^.]*$/.exec(nameParam);
  if (!ending) return { name: nameParam, format: null };
  const format = formatOfFileName(nameParam);
  if (!format) throw new NotFoundException(`no report by that name: a report's name ends in .xlsx, .csv or .json, or has no ending`);
  return { name: nameParam.slice(0, ending.index), format };
}

@ApiTags('reports')
@ApiBearerAuth()
@RequireScopes('registry:read')
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService, @Inject(LOGGER) private readonly logger: Logger) {}

  @Get()
  @ApiOperation({ summary: 'The reports there are' })
  @ApiOkResponse({ type: ReportSummaryDto, isArray: true })
  list(): ReportSummaryDto[] {
    return this.reports.list();
  }

  @Get(':name')
  @ApiOperation({
    summary: 'A report, streamed: structure (组织体系统计表), red-property (红色物业台账), roster (党员花名册), quality (数据质量报告)',
    description: 'ID numbers and phones in a roster are masked unless the key has registry:read-pii; a roster in clear is audited (one entry: scope and member count).',
  })
  @ApiParam({ name: 'name', description: 'structure, red-property, roster or quality, optionally ending .xlsx, .csv or .json' })
  @ApiProduces(CONTENT_TYPES.xlsx, CONTENT_TYPES.csv, CONTENT_TYPES.json)
  @ApiOkResponse({ description: 'the report as a print-ready workbook, CSV (UTF-8 with BOM) or JSON { title, subtitle, sources, columns, rows: [{ kind, cells, span? }] }' })
  @ApiErrors(400, 404)
  async get(
    @Param('name') nameParam: string,
    @Query() query: ReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Reader() reader: PersonalDataReaderContext,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { name, format: formatByName } = reportOfPath(nameParam);
    const format = formatOf(formatByName, query, accept);
    const omitEmptyCommunities = query.omitEmpty === undefined ? undefined : query.omitEmpty === 'true';
    const table = await this.reports.open(name, { scope: query.scope ?? null, reader, omitEmptyCommunities }).catch((err: unknown) => {
      if (err instanceof ReportRequestError) throw err.status === 404 ? new NotFoundException(err.message) : new BadRequestException(err.message);
      throw err;
    });
    const fileName = `${name}${query.scope ? `-${query.scope}` : ''}.${format}`;
    const body = new PassThrough();
    void reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `${format === 'json' ? 'inline' : 'attachment'}; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(`${table.title}-${fileName}`)}`)
      .header('cache-control', 'no-store')
      .send(body);
    // Headers are gone once rows flow: a failure now can only break the response off (never a stack trace to the client).
    writeReport(table, format, body).catch((err: Error) => {
      if (!(err instanceof HttpException)) this.logger.warn({ report: name, format, err: err.message }, 'report stream ended early');
    });
  }
}

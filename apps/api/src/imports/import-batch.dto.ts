import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BATCH_STATUSES, BatchStatus, ImportBatch, RecordWarning } from '@qc/database';
import { BatchProgress, progressOf, RejectionRow } from '@qc/ingestion';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

export class ImportCountsDto {
  @ApiProperty({ description: 'rows read = accepted + rejected + skipped' }) rows: number;
  @ApiProperty() accepted: number;
  @ApiProperty() rejected: number;
  @ApiProperty({ description: 'blank rows, subtotals, repeated headers' }) skipped: number;
  @ApiProperty({ description: 'entities the batch created' }) created: number;
  @ApiProperty({ description: 'accepted records matched to an existing entity' }) matched: number;
  @ApiProperty({ description: 'matched entities the batch changed' }) updated: number;
  @ApiProperty({ description: 'records waiting for a person to decide their match' }) reviewPending: number;
  @ApiProperty({ description: 'rows applied with a warning (a flagged cell, an ID claimed under another name); not part of rows' }) warnings: number;
}

export class ImportProgressDto {
  @ApiProperty({
    enum: ['queued', 'reading', 'matching', 'merging', 'done'],
    description: 'queued; reading the file (bytes); matching its accepted records to the registry (rows); merging: every record matched, what they changed is settled and committed; done: final, whatever the status',
  })
  phase: BatchProgress['phase'];
  @ApiProperty({ description: 'bytes read (reading) or records matched (matching, merging); rows accounted for once done' }) done: number;
  @ApiProperty({ nullable: true, type: Number, description: 'the file\'s size while queued and reading, then the accepted records, then the rows read' }) total: number | null;
  @ApiProperty({ enum: ['rows', 'bytes'] }) unit: BatchProgress['unit'];
  @ApiProperty({ nullable: true, type: Number, description: 'seconds left in this phase at the rate it has kept since it began; null before anything is done, while merging and once done' })
  etaSeconds: number | null;
  @ApiProperty({ nullable: true, type: Date, description: 'when the phase began (when the batch ended, once done)' }) phaseStartedAt: Date | null;
}

export class SheetColumnUsedDto {
  @ApiProperty({ example: '身份证号', description: 'the header as the file wrote it' }) header: string;
  @ApiProperty({ example: 'idNumber' }) field: string;
  @ApiProperty({ example: '公民身份号码', description: 'the field on the forms' }) label: string;
  @ApiProperty({ enum: ['header', 'values', 'header+values'], description: 'what showed the column to be this field' }) evidence: string;
}

export class SheetColumnIgnoredDto {
  @ApiProperty({ example: '籍贯' }) header: string;
  @ApiProperty({ example: 'no field of 党员花名册 reads like this header or its values' }) reason: string;
  @ApiProperty({ required: false, nullable: true, type: String, example: 'column-unknown', description: 'the reason\'s stable code (see the catalogue in libs/reasons); absent from accounts stored before codes' })
  reasonCode?: string | null;
  @ApiProperty({ required: false, nullable: true, type: Object, description: 'the parameters the reason\'s texts are made from' })
  reasonParams?: object | null;
}

export class SheetWarningDto {
  @ApiProperty({ example: 'no column for 公民身份号码 (idNumber), which a 党员花名册 usually has' }) reason: string;
  @ApiProperty({ required: false, nullable: true, type: String, example: 'key-columns-missing' }) reasonCode?: string | null;
  @ApiProperty({ required: false, nullable: true, type: Object }) reasonParams?: object | null;
}

export class SheetAccountDto {
  @ApiProperty({ nullable: true, type: String, description: 'the sheet; null for a CSV' }) sheet: string | null;
  @ApiProperty({ enum: ['imported', 'skipped', 'refused'] }) status: string;
  @ApiProperty({ nullable: true, type: String, example: 'member-roster', description: 'the sheet kind chosen' }) kind: string | null;
  @ApiProperty({ nullable: true, type: String, example: '党员花名册' }) label: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'confidence of the kind, 0..1' }) score: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'why the sheet was skipped or refused' }) reason: string | null;
  @ApiProperty({ required: false, nullable: true, type: String, example: 'sheet-unknown-kind', description: 'the code of the reason the sheet was skipped or refused; absent from accounts stored before codes' })
  reasonCode?: string | null;
  @ApiProperty({ required: false, nullable: true, type: Object }) reasonParams?: object | null;
  @ApiProperty({ description: 'rows below the header; for a skipped or refused sheet, rows not read as records' }) rows: number;
  @ApiProperty({ type: [SheetColumnUsedDto] }) used: SheetColumnUsedDto[];
  @ApiProperty({ type: [SheetColumnIgnoredDto] }) ignored: SheetColumnIgnoredDto[];
  @ApiProperty({ type: [String], description: 'ambiguous columns, columns a sheet of its kind usually has' }) warnings: string[];
  @ApiProperty({ required: false, type: [SheetWarningDto], description: 'the warnings, in order, with their codes; absent from accounts stored before codes' })
  warningReasons?: SheetWarningDto[];
}

export class ImportBatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '社区基本情况统计表_2023.csv' }) file: string;
  @ApiProperty({ example: 3187 }) bytes: number;
  @ApiProperty({ description: 'SHA-256 of the file, hex' }) sha256: string;
  @ApiProperty({ nullable: true, type: String, example: 'S6', description: 'the legacy source, once recognised' }) sourceKind: string | null;
  @ApiProperty({ enum: BATCH_STATUSES }) status: BatchStatus;
  @ApiProperty({ example: 'api', description: 'cli, api or schedule:<inbox>' }) trigger: string;
  @ApiProperty({ type: ImportCountsDto }) counts: ImportCountsDto;
  @ApiProperty({ type: ImportProgressDto }) progress: ImportProgressDto;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' }, description: 'per sheet (\'\' for a CSV): the layout recognised' })
  layout: Record<string, string> | null;
  @ApiProperty({ type: [SheetAccountDto], description: 'per sheet, in file order: the kind read and every column used or ignored, or why the sheet was skipped or refused' })
  sheets: SheetAccountDto[];
  @ApiProperty({ nullable: true, type: String, description: 'why the file was refused or failed' }) error: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'for an unchanged file: the batch that imported it' }) sameAsBatchId: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) finishedAt: Date | null;

  static from(b: ImportBatch): ImportBatchDto {
    return {
      id: b.id, file: b.fileName, bytes: Number(b.fileBytes), sha256: b.fileSha256, sourceKind: b.sourceKind, status: b.status, trigger: b.trigger,
      counts: { rows: b.rowsRead, accepted: b.accepted, rejected: b.rejected, skipped: b.skipped, created: b.created, matched: b.matched, updated: b.updated, reviewPending: b.reviewPending, warnings: b.warnings },
      progress: progressOf(b),
      layout: (b.layout as Record<string, string> | null) ?? null,
      sheets: b.sheets ?? [],
      error: b.error, sameAsBatchId: b.sameAsBatchId, createdAt: b.createdAt, finishedAt: b.finishedAt,
    };
  }
}

export class RejectionDto {
  @ApiProperty({ example: '1042', description: 'ascending; the cursor for the next page' }) id: string;
  @ApiProperty({ nullable: true, type: String, description: 'the sheet, for a workbook' }) sheet: string | null;
  @ApiProperty({ nullable: true, type: String, example: '7', description: 'SHEET!ROW in a workbook, the line in a CSV; null for a whole-file refusal' }) recordRef: string | null;
  @ApiProperty({ nullable: true, type: String, example: '户数', description: 'the column header as the file wrote it' }) column: string | null;
  @ApiProperty({ example: '不是数量 (not a count: "很多")' }) reason: string;
  @ApiProperty({ nullable: true, type: String, example: 'not-a-count', description: 'the reason\'s stable code (see the catalogue in libs/reasons); null on rows stored before codes' })
  reasonCode: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'the parameters the reason\'s texts are made from' })
  reasonParams: object | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'the row as header → value; ID numbers and phones masked' })
  raw: Record<string, unknown> | null;

  static from(r: RejectionRow): RejectionDto {
    return { id: r.id, sheet: r.sheet, recordRef: r.recordRef, column: r.column, reason: r.reason, reasonCode: r.reasonCode, reasonParams: r.reasonParams, raw: r.raw };
  }
}

/** How many rejections the batch itself shows; the rest are paged. */
export const FIRST_REJECTIONS = 20;

export class WarningDto {
  @ApiProperty({ nullable: true, type: String, description: 'the sheet, for a workbook' }) sheet: string | null;
  @ApiProperty({ example: '党员花名册!7', description: 'SHEET!ROW in a workbook, the line in a CSV' }) recordRef: string;
  @ApiProperty({ nullable: true, type: String, example: '联系电话', description: 'the column header as the file wrote it' }) column: string | null;
  @ApiProperty({ example: '电话号码位数或格式不对 (not a mobile or landline number: 10 digits)' }) reason: string;
  @ApiProperty({ nullable: true, type: String, example: 'phone-length', description: 'the reason\'s stable code (see the catalogue in libs/reasons); null on rows stored before codes' })
  reasonCode: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'the parameters the reason\'s texts are made from' })
  reasonParams: object | null;

  static from(w: RecordWarning): WarningDto {
    return { sheet: w.sheet, recordRef: w.recordRef, column: w.columnName, reason: w.reason, reasonCode: w.reasonCode, reasonParams: w.reasonParams };
  }
}

export class ImportBatchDetailDto extends ImportBatchDto {
  @ApiProperty({ type: [RejectionDto], description: `the first ${FIRST_REJECTIONS} rejections; page through /v1/imports/{id}/rejections for all` })
  firstRejections: RejectionDto[];
  @ApiProperty({ type: [WarningDto], description: `the first ${FIRST_REJECTIONS} warnings; the quality report counts them all by reason` })
  firstWarnings: WarningDto[];
}

export class ImportBatchPageDto {
  @ApiProperty({ type: [ImportBatchDto] }) items: ImportBatchDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `after` for the next page; null on the last' }) nextCursor: string | null;
}

export class RejectionPageDto {
  @ApiProperty({ type: [RejectionDto] }) items: RejectionDto[];
  @ApiProperty({ nullable: true, type: String, description: 'pass as `after` for the next page; null on the last' }) nextCursor: string | null;
}

class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit = 100;
}

export class ListImportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'the nextCursor of the previous page' })
  @IsOptional() @IsUUID()
  after?: string;
}

export class RejectionsFilterDto {
  @ApiPropertyOptional({ maxLength: 200, example: '身份证', description: 'only rejections whose sheet, column or reason contains this text' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}

export class ListRejectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '1042', description: 'the nextCursor of the previous page' })
  @IsOptional() @Matches(/^\d{1,18}$/, { message: 'after must be the nextCursor of a previous page' })
  after?: string;

  @ApiPropertyOptional({ maxLength: 200, example: '身份证', description: 'only rejections whose sheet, column or reason contains this text' })
  @IsOptional() @IsString() @MaxLength(200)
  q?: string;
}

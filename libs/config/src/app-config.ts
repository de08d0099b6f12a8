// @Type (nested settings) reads decorator metadata, also where no app has loaded reflect-metadata yet.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBase64, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { validateCronExpression } from 'cron';

/** Environment variable that overrides each setting (one table, read once at boot). */
export const ENV_NAMES = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  dataDir: 'QC_DATA_DIR',
  embeddedPostgresPort: 'QC_EMBEDDED_PG_PORT',
  logLevel: 'LOG_LEVEL',
  logFile: 'QC_LOG_FILE',
  importConcurrency: 'QC_IMPORT_CONCURRENCY',
  importChunkRows: 'QC_IMPORT_CHUNK_ROWS',
  stageRangeBytes: 'QC_STAGE_RANGE_BYTES',
  jobAttempts: 'QC_JOB_ATTEMPTS',
  jobBackoffMs: 'QC_JOB_BACKOFF_MS',
  maxUploadBytes: 'QC_MAX_UPLOAD_BYTES',
  uploadTimeoutMs: 'QC_UPLOAD_TIMEOUT_MS',
  rateLimitPerMinute: 'QC_RATE_LIMIT_PER_MINUTE',
  authFailuresPerMinute: 'QC_AUTH_FAILURES_PER_MINUTE',
  queuePrefix: 'QC_QUEUE_PREFIX',
  piiKey: 'QC_PII_KEY',
  inboxes: 'QC_INBOXES',
  reportSchedules: 'QC_REPORT_SCHEDULES',
  importRecoveryMs: 'QC_IMPORT_RECOVERY_MS',
  importMaxFileBytes: 'QC_IMPORT_MAX_FILE_BYTES',
  importMaxUncompressedBytes: 'QC_IMPORT_MAX_UNCOMPRESSED_BYTES',
  importMaxWholeWorkbookBytes: 'QC_IMPORT_MAX_WHOLE_WORKBOOK_BYTES',
  importMaxRows: 'QC_IMPORT_MAX_ROWS',
  importMaxColumns: 'QC_IMPORT_MAX_COLUMNS',
  importMaxCellChars: 'QC_IMPORT_MAX_CELL_CHARS',
  importMaxJsonDepth: 'QC_IMPORT_MAX_JSON_DEPTH',
  importKindMargin: 'QC_IMPORT_KIND_MARGIN',
  importMaxSharedStrings: 'QC_IMPORT_MAX_SHARED_STRINGS',
  importMaxSharedStringChars: 'QC_IMPORT_MAX_SHARED_STRING_CHARS',
  importMaxAttempts: 'QC_IMPORT_MAX_ATTEMPTS',
} as const satisfies Record<keyof AppConfig, string>;

const IsCronExpression = () => ValidateBy({
  name: 'isCronExpression',
  validator: {
    validate: (value) => typeof value === 'string' && validateCronExpression(value).valid,
    defaultMessage: () => 'cron must be a 5-field (minute first) or 6-field (second first) cron expression',
  },
});

/** A folder the worker watches: files dropped into it are imported on a schedule, then archived or quarantined. */
export class InboxConfig {
  /** Names the batches' trigger (schedule:<name>) and the scheduled job. */
  @Matches(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: 'an inbox name is 1–32 lowercase letters, digits, dashes or underscores' })
  name: string;

  @IsString() @IsNotEmpty()
  folder: string;

  @IsCronExpression()
  cron: string;

  /** Imported (or already imported) files go to <archiveFolder>/<yyyy-mm-dd>/. */
  @IsString() @IsNotEmpty()
  archiveFolder: string;

  /** Refused or failed files go to <quarantineFolder>/<yyyy-mm-dd>/, each with a .reason.txt. */
  @IsString() @IsNotEmpty()
  quarantineFolder: string;
}

/** The reports officials can ask for (libs/reports implements each). */
export const REPORT_NAMES = ['structure', 'red-property', 'roster', 'quality'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** A report the worker writes into a folder on a schedule (personal data masked). */
export class ReportScheduleConfig {
  @IsIn(REPORT_NAMES)
  report: ReportName;

  /** A division code, an organization id (roster) or an import batch id (quality); the whole city (every import) when absent. */
  @IsOptional() @IsString() @IsNotEmpty()
  scope?: string;

  @IsCronExpression()
  cron: string;

  /** Files are written as <report>-<scope>-<yyyy-mm-dd-hhmm>.<format>. */
  @IsString() @IsNotEmpty()
  folder: string;

  @IsOptional() @IsIn(['xlsx', 'csv'])
  format?: 'xlsx' | 'csv';
}

/** Every setting of the platform, validated once at start-up. */
export class AppConfig {
  @IsInt() @Min(1) @Max(65535)
  port: number;

  @IsString()
  host: string;

  /** PostgreSQL connection string; when absent an embedded PostgreSQL is started under dataDir. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must start with postgres:// or postgresql://' })
  databaseUrl?: string;

  /** Redis connection string; when absent jobs run in-process through the same processors. */
  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  redisUrl?: string;

  @IsString()
  dataDir: string;

  @IsInt() @Min(1024) @Max(65535)
  embeddedPostgresPort: number;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  logLevel: string;

  /** Append logs to this file instead of writing them to stderr. */
  @IsOptional() @IsString() @IsNotEmpty()
  logFile?: string;

  @IsInt() @Min(1) @Max(32)
  importConcurrency: number;

  @IsInt() @Min(100) @Max(100000)
  importChunkRows: number;

  /**
   * A CSV file larger than this is staged in ranges of about this many bytes, one job each, so that
   * every worker (and every job a worker runs at once, importConcurrency) reads a part of it.
   */
  @IsInt() @Min(1024)
  stageRangeBytes: number;

  @IsInt() @Min(1) @Max(20)
  jobAttempts: number;

  @IsInt() @Min(0) @Max(600000)
  jobBackoffMs: number;

  @IsInt() @Min(1024)
  maxUploadBytes: number;

  /** An upload whose body sends nothing for this long, or ends before its multipart body is complete, is refused (400). */
  @IsInt() @Min(100)
  uploadTimeoutMs: number;

  @IsInt() @Min(1)
  rateLimitPerMinute: number;

  /** Requests with a missing, unknown or revoked key allowed per client address and minute (429 above). */
  @IsInt() @Min(1)
  authFailuresPerMinute: number;

  /** Base64 master key for personal data at rest (32+ bytes); generated into dataDir when absent. */
  @IsOptional() @IsBase64()
  piiKey?: string;

  /** BullMQ key prefix, so tests and several installations can share one Redis. */
  @IsString() @Matches(/^[a-z0-9:_-]+$/i)
  queuePrefix: string;

  /** How often the worker looks for unfinished batches whose job was lost (a Redis restarted without persistence), and queues them again. */
  @IsInt() @Min(500)
  importRecoveryMs: number;

  /** Largest file an import reads (uploads are limited by maxUploadBytes first). */
  @IsInt() @Min(1024)
  importMaxFileBytes: number;

  /** XLSX: largest total size of the workbook's parts once inflated (zip bombs are refused). */
  @IsInt() @Min(1024)
  importMaxUncompressedBytes: number;

  /** .xls: largest file, as a legacy workbook is read whole into memory. */
  @IsInt() @Min(1024)
  importMaxWholeWorkbookBytes: number;

  /** Rows per sheet (CSV: records per file). */
  @IsInt() @Min(1)
  importMaxRows: number;

  /** Cells per row. */
  @IsInt() @Min(1)
  importMaxColumns: number;

  /** Characters per cell. */
  @IsInt() @Min(1)
  importMaxCellChars: number;

  /** JSON: deepest nesting of arrays and objects. */
  @IsInt() @Min(2)
  importMaxJsonDepth: number;

  /** How far (0..1) the sheet kind chosen must score above the next best; closer, the sheet is refused as ambiguous. */
  @IsNumber() @Min(0) @Max(1)
  importKindMargin: number;
  /** XLSX: strings in the shared-strings table, which the reader holds in memory while it reads the sheets. */
  @IsInt() @Min(1)
  importMaxSharedStrings: number;

  /** XLSX: characters of all shared strings together (about two bytes of memory each). */
  @IsInt() @Min(1)
  importMaxSharedStringChars: number;

  /** Jobs a batch may start for one step (stage or merge) before it fails: a worker killed by the file every time stops there. */
  @IsInt() @Min(1) @Max(20)
  importMaxAttempts: number;

  /** Inbox folders the worker imports from; relative folders are under the project root. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => InboxConfig)
  @ArrayUnique((inbox: InboxConfig) => inbox.name, { message: 'inbox names must be unique' })
  inboxes: InboxConfig[];

  /** Reports generated on schedule by the worker; relative folders are under the project root. */
  @IsArray() @ValidateNested({ each: true }) @Type(() => ReportScheduleConfig)
  reportSchedules: ReportScheduleConfig[];
}

import { IsBase64, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** Environment variable that overrides each setting (one table, read once at boot). */
export const ENV_NAMES = {
  port: 'PORT',
  host: 'HOST',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  dataDir: 'QC_DATA_DIR',
  embeddedPostgresPort: 'QC_EMBEDDED_PG_PORT',
  logLevel: 'LOG_LEVEL',
  importConcurrency: 'QC_IMPORT_CONCURRENCY',
  importChunkRows: 'QC_IMPORT_CHUNK_ROWS',
  jobAttempts: 'QC_JOB_ATTEMPTS',
  jobBackoffMs: 'QC_JOB_BACKOFF_MS',
  maxUploadBytes: 'QC_MAX_UPLOAD_BYTES',
  rateLimitPerMinute: 'QC_RATE_LIMIT_PER_MINUTE',
  queuePrefix: 'QC_QUEUE_PREFIX',
  piiKey: 'QC_PII_KEY',
} as const satisfies Record<keyof AppConfig, string>;


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

  @IsInt() @Min(1) @Max(32)
  importConcurrency: number;

  @IsInt() @Min(100) @Max(100000)
  importChunkRows: number;

  @IsInt() @Min(1) @Max(20)
  jobAttempts: number;

  @IsInt() @Min(0) @Max(600000)
  jobBackoffMs: number;

  @IsInt() @Min(1024)
  maxUploadBytes: number;

  @IsInt() @Min(1)
  rateLimitPerMinute: number;

  /** Base64 master key for personal data at rest (32+ bytes); generated into dataDir when absent. */
  @IsOptional() @IsBase64()
  piiKey?: string;

  /** BullMQ key prefix, so tests and several installations can share one Redis. */
  @IsString() @Matches(/^[a-z0-9:_-]+$/i)
  queuePrefix: string;
}

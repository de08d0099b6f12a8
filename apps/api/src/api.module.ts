import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ApiKeyGuard, AuthModule } from '@qc/auth';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { DivisionsModule } from '@qc/divisions';
import { IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { ErrorBodyFilter } from './common/error-body.filter';
import { DivisionsController } from './divisions/divisions.controller';
import { HealthController } from './health/health.controller';
import { ImportsController } from './imports/imports.controller';
import { UploadStore } from './imports/upload-store';

@Module({
  imports: [
    ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('never'),
    TerminusModule, AuthModule, DivisionsModule, IngestionModule,
  ],
  controllers: [HealthController, DivisionsController, ImportsController],
  providers: [
    UploadStore,
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ErrorBodyFilter },
  ],
})
export class ApiModule {}

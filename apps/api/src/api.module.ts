import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ApiKeyGuard, AuthModule } from '@qc/auth';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { DivisionsModule } from '@qc/divisions';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { ErrorBodyFilter } from './common/error-body.filter';
import { DivisionsController } from './divisions/divisions.controller';
import { HealthController } from './health/health.controller';

@Module({
  imports: [
    ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('never'),
    TerminusModule, AuthModule, DivisionsModule,
  ],
  controllers: [HealthController, DivisionsController],
  providers: [
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_FILTER, useClass: ErrorBodyFilter },
  ],
})
export class ApiModule {}

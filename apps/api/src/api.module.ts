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
import { QueryModule } from '@qc/query';
import { ReportsModule } from '@qc/reports';
import { RegistryModule } from '@qc/registry';
import { ChangesController } from './changes/changes.controller';
import { BodyMediaTypeGuard } from './common/body-media-type.guard';
import { ErrorBodyFilter } from './common/error-body.filter';
import { KnownQueryParametersGuard } from './common/query-parameters.guard';
import { DivisionsController } from './divisions/divisions.controller';
import { HealthController } from './health/health.controller';
import { ImportEventsStubController } from './imports/import-events.stub.controller';
import { ImportsController } from './imports/imports.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { PersonsController } from './persons/persons.controller';
import { PlacesController } from './places/places.controller';
import { RedPropertyController } from './red-property/red-property.controller';
import { UploadStore } from './imports/upload-store';
import { LineageController } from './lineage/lineage.controller';
import { MeController } from './me/me.controller';
import { OrganizationMergeController, PersonMergeController } from './review/entity-merge.controller';
import { ReviewController } from './review/review.controller';
import { ReportsController } from './reports/reports.controller';

@Module({
  imports: [
    ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('never'),
    TerminusModule, AuthModule, DivisionsModule, IngestionModule, QueryModule, RegistryModule, ReportsModule,
  ],
  controllers: [
    OrganizationsController, PersonsController, PlacesController, RedPropertyController, ChangesController,
    HealthController, DivisionsController, ImportsController, ReviewController, PersonMergeController, OrganizationMergeController, LineageController, ReportsController, MeController, ImportEventsStubController],
  providers: [
    UploadStore,
    { provide: APP_GUARD, useExisting: ApiKeyGuard },
    { provide: APP_GUARD, useClass: KnownQueryParametersGuard },
    { provide: APP_GUARD, useClass: BodyMediaTypeGuard },
    { provide: APP_FILTER, useClass: ErrorBodyFilter },
  ],
})
export class ApiModule {}

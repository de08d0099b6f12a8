import { Module } from '@nestjs/common';
import { AuthModule } from '@qc/auth';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { DivisionsModule } from '@qc/divisions';
import { InboxModule, IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import { RegistryModule } from '@qc/registry';
import { ReportsModule } from '@qc/reports';

/**
 * The registry's services as the CLI uses them. Loaded (and connected to the database) only when a
 * command that needs them runs: help, version and `config` never load this file.
 */
@Module({
  imports: [
    ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('on-demand'),
    AuthModule, DivisionsModule, IngestionModule, InboxModule, RegistryModule, ReportsModule,
  ],
})
export class ServicesModule {}

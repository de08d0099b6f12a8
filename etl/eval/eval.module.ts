import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { DivisionsModule } from '@qc/divisions';
import { IngestionModule } from '@qc/ingestion';
import { JobsModule } from '@qc/jobs';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';

/** The registry's import pipeline, assembled as the CLI assembles it. */
@Module({})
export class EvalModule {
  /** Built on call, not on import: the job transport is chosen from the environment the run has set up. */
  static register(): DynamicModule {
    return {
      module: EvalModule,
      imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, JobsModule.forRoot('on-demand'), DivisionsModule, IngestionModule],
    };
  }
}

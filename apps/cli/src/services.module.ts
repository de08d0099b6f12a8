import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@qc/config';
import { DatabaseModule } from '@qc/database';
import { LoggingModule } from '@qc/logging';
import { PiiModule } from '@qc/pii';
import type { Feature } from './runtime';

type ModuleImport = Type | DynamicModule;

const MODULES: Record<Feature, () => Promise<ModuleImport>> = {
  keys: async () => (await import('@qc/auth')).AuthModule,
  divisions: async () => (await import('@qc/divisions')).DivisionsModule,
  registry: async () => (await import('@qc/registry')).RegistryModule,
  reports: async () => (await import('@qc/reports')).ReportsModule,
  jobs: async () => (await import('@qc/jobs')).JobsModule.forRoot('on-demand'),
  imports: async () => (await import('@qc/ingestion')).IngestionModule,
  inboxes: async () => (await import('@qc/ingestion')).InboxModule,
};

/**
 * The registry's services a command needs: configuration, logging, the database and personal data,
 * plus the modules of its features. Loaded (and connected) only when such a command runs: help,
 * version and `config` never load this file, and `keys list` never loads the import engine.
 */
export async function servicesModule(features: Set<Feature>): Promise<DynamicModule> {
  const imports = await Promise.all([...features].map((feature) => MODULES[feature]()));
  return { module: ServicesModule, imports: [ConfigModule, LoggingModule, DatabaseModule, PiiModule, ...imports] };
}

@Module({})
export class ServicesModule {}

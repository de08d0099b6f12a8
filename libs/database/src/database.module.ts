import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@qc/config';
import { LOGGER, Logger } from '@qc/logging';
import { dataSourceOptions } from './data-source-options';
import { resolveDatabaseUrl, stopEmbeddedPostgres } from './database-url';
import { ENTITIES } from './entities';

/** PostgreSQL for every app: the configured server, or the embedded one. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, LOGGER],
      useFactory: async (config: AppConfig, logger: Logger) =>
        dataSourceOptions(await resolveDatabaseUrl(config, (line) => logger.debug({ context: 'embedded-postgres' }, line))),
    }),
    TypeOrmModule.forFeature(ENTITIES),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async onApplicationShutdown(): Promise<void> {
    await stopEmbeddedPostgres().catch((err: Error) => this.logger.warn({ err: err.message }, 'embedded PostgreSQL did not stop cleanly'));
  }
}

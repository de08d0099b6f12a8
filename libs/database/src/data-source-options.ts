import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';

/** The one description of how the registry talks to PostgreSQL: migrations, never synchronize. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'schema_migration',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    // TypeORM's logger prints query parameters, which can hold personal data: errors surface as exceptions instead.
    logging: false,
    extra: { max: 10, application_name: 'qingcheng' },
  };
}

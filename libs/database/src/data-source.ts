// Data source for TypeORM's own CLI (migration:generate / migration:show), which needs DATABASE_URL.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set to use the TypeORM CLI');
export default new DataSource(dataSourceOptions(process.env.DATABASE_URL));

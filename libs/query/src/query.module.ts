import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BuildingQuery } from './building-query';
import { ChangeFeedQuery } from './change-feed-query';
import { CompoundQuery } from './compound-query';
import { GridQuery } from './grid-query';
import { OrganizationQuery } from './organization-query';
import { PersonQuery } from './person-query';
import { PropertyCompanyQuery } from './property-company-query';
import { READ_DATABASE, readDatabaseOf } from './read-database';
import { RedPropertyQuery } from './red-property-query';

const QUERIES = [OrganizationQuery, PersonQuery, GridQuery, CompoundQuery, BuildingQuery, PropertyCompanyQuery, RedPropertyQuery, ChangeFeedQuery];

/**
 * Read models of the registry for the API; PiiModule (global) supplies the personal-data reader.
 * They read through the DataSource's pool directly (readDatabaseOf).
 */
@Module({ providers: [{ provide: READ_DATABASE, useFactory: readDatabaseOf, inject: [DataSource] }, ...QUERIES], exports: QUERIES })
export class QueryModule {}

export * from './entities';
export * from './data-source-options';
export * from './database-url';
export * from './database.module';
export * from './migrations';
export * from './insert-rows';
export * from './entity-id';
export * from './copy-text';

export * from './import-recovery';
export * from './import-summary';
export * from './imports.service';
export * from './ingestion.module';
export * from './inbox';
export * from './progress';

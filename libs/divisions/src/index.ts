export * from './division-code';
export * from './division-name';
export * from './reference-divisions';
export * from './divisions.service';
export * from './division-stats.service';
export * from './divisions.module';

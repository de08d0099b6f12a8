export * from './report-definition';
export * from './report-output';
export * from './report-scope';
export * from './reports.service';
export * from './reports.module';
export * from './report.scheduler';
export * from './structure.report';
export * from './xlsx-writer';

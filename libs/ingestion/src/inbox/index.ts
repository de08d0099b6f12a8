export * from './inbox.service';
export * from './inbox-runs';
export * from './inbox.scheduler';
export * from './inbox.module';

export * from './api-keys.service';
export * from './api-key.guard';
export * from './scopes';
export * from './auth.module';
export * from './rate-limiter';

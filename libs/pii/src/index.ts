export * from './pii-cipher';
export * from './pii.module';

export * from './pii-cipher';
export * from './pii.module';
export * from './personal-data-reader';
export * from './person-disclosure';

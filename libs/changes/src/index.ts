export * from './change-recorder';

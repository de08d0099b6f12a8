export * from './change-recorder';
export * from './feed-horizon';

export * from './csv-writer';
export * from './keyset-pages';

import { benchDatabaseName, withDatabase } from './bench-database';

describe('benchDatabaseName', () => {
  it('is a plain identifier, different every time', () => {
    const names = new Set(Array.from({ length: 50 }, benchDatabaseName));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^qc_bench_[0-9a-f]{10}$/);
  });
});

describe('withDatabase', () => {
  it('keeps the server, credentials and parameters and swaps the database', () => {
    expect(withDatabase('postgres://postgres@127.0.0.1:5432/postgres', 'qc_bench_1')).toBe('postgres://postgres@127.0.0.1:5432/qc_bench_1');
    expect(withDatabase('postgresql://u:p%40ss@db:6543/app?sslmode=require', 'qc_bench_2')).toBe('postgresql://u:p%40ss@db:6543/qc_bench_2?sslmode=require');
  });
});

import { DataSource } from 'typeorm';
import { readDatabaseOf } from './read-database';

describe('readDatabaseOf', () => {
  it("sends each statement with its parameters to the DataSource's pool and answers its rows", async () => {
    const sent: unknown[][] = [];
    const pool = { query: async (sql: string, parameters?: unknown[]) => { sent.push([sql, parameters]); return { rows: [{ id: 'a' }], rowCount: 1 }; } };
    const database = readDatabaseOf({ driver: { master: pool } } as unknown as DataSource);
    expect(await database.query('SELECT id FROM person WHERE id = $1', ['a'])).toEqual([{ id: 'a' }]);
    expect(sent).toEqual([['SELECT id FROM person WHERE id = $1', ['a']]]);
  });

  it('refuses to read before the DataSource is connected', async () => {
    const database = readDatabaseOf({ driver: {} } as unknown as DataSource);
    await expect(database.query('SELECT 1')).rejects.toThrow('connected PostgreSQL DataSource');
  });
});

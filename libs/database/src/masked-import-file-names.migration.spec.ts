import { QueryRunner } from 'typeorm';
import { MaskedImportFileNames1795580030000 } from './migrations/1795580030000-MaskedImportFileNames';

// Beside the migrations folder, not in it: TypeORM loads every file there as a migration.
describe('MaskedImportFileNames migration', () => {
  it('masks the names of earlier batches, and the name where their error quotes it', async () => {
    const updates: unknown[][] = [];
    const queryRunner = {
      query: async (sql: string, parameters?: unknown[]) => {
        if (sql.startsWith('SELECT')) return [{ id: 'b1', file_name: '王芳150105198503121234.xlsx' }, { id: 'b2', file_name: '名册20231201.xlsx' }];
        updates.push(parameters!);
        return [];
      },
    } as unknown as QueryRunner;
    await new MaskedImportFileNames1795580030000().up(queryRunner);
    expect(updates).toEqual([['王芳150105198503121234.xlsx', '王芳******************.xlsx', 'b1']]);
  });
});

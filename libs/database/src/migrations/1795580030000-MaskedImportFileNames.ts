// A relative path: migrations are also loaded by TypeORM itself, where no @qc/* path mapping applies.
import { maskFileName } from '../../../readers/src/file-name';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * File names are personal data (a roster named after a member's ID number or phone): batches now
 * keep them masked. This masks the names of the batches recorded before, and the name where their
 * error message quotes it. Not reversible: the clear names are not kept anywhere.
 */
export class MaskedImportFileNames1795580030000 implements MigrationInterface {
  name = 'MaskedImportFileNames1795580030000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const batches: { id: string; file_name: string }[] = await queryRunner.query(`SELECT id, file_name FROM import_batch WHERE file_name ~ '[0-9]{7}|[0-9][ -][0-9]'`);
    for (const { id, file_name: name } of batches) {
      const masked = maskFileName(name);
      if (masked === name) continue;
      await queryRunner.query(`UPDATE import_batch SET file_name = $2, error = replace(error, $1, $2) WHERE id = $3`, [name, masked, id]);
    }
  }

  public async down(): Promise<void> {
    // Nothing to undo: the masked names stay masked.
  }
}

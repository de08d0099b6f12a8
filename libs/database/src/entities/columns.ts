import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** Where each golden-record field came from: field name → the source record and batch that won. */
export type FieldLineage = Record<string, { sourceRecordId: string; batchId: string }>;

/** created_at / updated_at shared by every canonical entity. */
export abstract class Timestamps {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

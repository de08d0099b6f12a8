import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** Where each golden-record field came from: field name → the source record and batch that won. */
export interface FieldSource {
  sourceRecordId: string;
  batchId: string;
  /** Source kind (S1…S6) of the record, which survivorship ranks. */
  source?: string;
}
export type FieldLineage = Record<string, FieldSource>;

/** created_at / updated_at shared by every canonical entity. */
export abstract class Timestamps {
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

import { EntityManager, EntityTarget, InsertResult, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * Multi-row INSERT of complete rows. TypeORM's deep-partial insert type cannot express jsonb
 * columns typed as records, so the cast lives here, once.
 */
export function insertRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Partial<T>[]): Promise<InsertResult> {
  return manager.insert(target, rows as QueryDeepPartialEntity<T>[]);
}

/** UPDATE of one row by primary key, with the same jsonb typing cast as insertRows. */
export function updateRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, id: string, values: Partial<T>): Promise<unknown> {
  return manager.update(target, id, values as QueryDeepPartialEntity<T>);
}

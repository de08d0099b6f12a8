import { v7 } from 'uuid';

/**
 * A new registry entity's id: a time-ordered UUID (version 7). An import creates persons and
 * memberships by the million, and random ids would put each new key on a random page of every
 * index that holds one (primary keys, membership by person, links and changes by entity): past
 * the database's cache, every insert reads and rewrites a cold page. Ordered ids append.
 */
export function newEntityId(): string {
  return v7();
}

import { HttpException } from '@nestjs/common';
import { userInfo } from 'node:os';
import { UsageError } from '../output';

export const cliActor = () => `cli:${userInfo().username}`;

/** Curation refuses with a message a person can act on (unknown id, already decided): one line, not a stack. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpException) throw new UsageError(err.message);
    throw err;
  }
}

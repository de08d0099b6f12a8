import { NotFoundException } from '@nestjs/common';

/** The value, or a 404 naming what was not found (ids are validated UUIDs, safe to echo). */
export function found<T>(value: T | null, what: string, id: string): T {
  if (value === null) throw new NotFoundException(`no ${what} ${id}`);
  return value;
}

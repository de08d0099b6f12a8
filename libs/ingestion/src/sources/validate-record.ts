import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { because } from '@qc/reasons';
import { FieldProblem, ParseOutcome } from './source-definition';

/**
 * Runs class-validator on a parsed record and names each failing field by the header the file used.
 */
export async function validateRecord<R extends object>(
  type: new () => R,
  plain: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<ParseOutcome<R>> {
  const record = plainToInstance(type, plain);
  const errors = await validate(record, { forbidUnknownValues: false });
  if (errors.length === 0) return { ok: true, record };
  const problems: FieldProblem[] = errors.map((e) => ({
    column: headers[e.property] ?? e.property,
    reason: because('record-invalid', { constraints: Object.values(e.constraints ?? {}) }),
  }));
  return { ok: false, problems };
}

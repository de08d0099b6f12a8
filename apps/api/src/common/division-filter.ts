import { BadRequestException } from '@nestjs/common';
import { parseDivisionCode } from '@qc/divisions';
import { reasonText } from '@qc/reasons';

/** Query parameter `division`: a division code (12 digits or the significant prefix); the list covers everything below it. */
export const DIVISION_FILTER = /^(\d{4}|\d{6}|\d{9}|\d{12})$/;
export const DIVISION_FILTER_MESSAGE = 'division must be a division code: 12 digits or its significant prefix of 4, 6 or 9 digits';

/** The 12-digit code of a `division` query parameter. */
export function divisionCodeOf(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  const parsed = parseDivisionCode(input);
  if (!parsed.ok) throw new BadRequestException(reasonText(parsed.reason));
  return parsed.code;
}

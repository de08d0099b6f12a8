import { Injectable } from '@nestjs/common';
import { Division } from '@qc/database';
import { CITY_CODE, DivisionsService, parseDivisionCode } from '@qc/divisions';
import { reasonText } from '@qc/reasons';
import { hohhotDay } from '@qc/time';

/** A report asked for something it cannot give: an unknown report, a malformed or unknown scope. */
export class ReportRequestError extends Error {
  constructor(message: string, readonly status: 400 | 404) {
    super(message);
  }
}

export interface DivisionScope {
  division: Division;
  /** 呼和浩特市 赛罕区 敕勒川路街道: the division with the ones above it. */
  pathName: string;
}

/** Today in Hohhot (UTC+8), as a report dates itself. */
export function reportDate(now = new Date()): string {
  return hohhotDay(now);
}

/** Resolves a division scope (any code form DivisionsService accepts; the city when none). */
@Injectable()
export class ReportScopes {
  constructor(private readonly divisions: DivisionsService) {}

  async division(scope: string | null): Promise<DivisionScope> {
    const parsed = parseDivisionCode(scope ?? CITY_CODE);
    if (!parsed.ok) throw new ReportRequestError(reasonText(parsed.reason), 400);
    const found = await this.divisions.findWithChildren(parsed.code);
    if (!found) throw new ReportRequestError(`no division with code ${parsed.code}`, 404);
    return { division: found.division, pathName: [...found.ancestors, found.division].map((d) => d.name).join(' ') };
  }
}

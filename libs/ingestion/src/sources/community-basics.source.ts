import { Injectable } from '@nestjs/common';
import { DivisionsService, isInCity } from '@qc/divisions';
import { cellText, parseCount } from '@qc/fields';
import { CellValue } from '@qc/readers';
import { IsInt, IsOptional, IsString, Matches, Min, MinLength } from 'class-validator';
import { because } from '@qc/reasons';
import { MergeSession } from '@qc/registry';
import { FieldProblem, MergeOutcome, ParseOutcome, SheetContext, SourceDefinition, StagedRecord } from './source-definition';
import { validateRecord } from './validate-record';

/** S6: one community's basics from the civil-affairs system, the only source of official community codes. */
export class CommunityBasicsRecord {
  @Matches(/^\d{12}$/, { message: 'a community code has 12 digits' })
  communityCode: string;

  @IsString() @MinLength(2, { message: 'the community name is missing' })
  communityName: string;

  @IsOptional() @IsInt() @Min(0) households: number | null;
  @IsOptional() @IsInt() @Min(0) residents: number | null;
  @IsOptional() @IsInt() @Min(0) minorityResidents: number | null;
  @IsOptional() @IsInt() @Min(0) gridCount: number | null;
  @IsOptional() @IsInt() @Min(0) buildingCount: number | null;
  @IsOptional() @IsInt() @Min(0) fullTimeWorkers: number | null;
  @IsOptional() @IsString() secretary: string | null;
}

const COUNT_FIELDS = ['households', 'residents', 'minorityResidents', 'gridCount', 'buildingCount', 'fullTimeWorkers'] as const;

@Injectable()
export class CommunityBasicsSource implements SourceDefinition<CommunityBasicsRecord> {
  readonly layoutEntity = 'community-basics';
  readonly requiredFields = ['communityCode', 'communityName'] as const;

  sourceKind(): string {
    return 'S6';
  }

  constructor(private readonly divisions: DivisionsService) {}

  async parse(cells: Record<string, CellValue>, { headers }: SheetContext): Promise<ParseOutcome<CommunityBasicsRecord>> {
    const problems: FieldProblem[] = [];
    const text = (field: string) => {
      const parsed = cellText(cells[field]);
      return parsed.ok ? parsed.value : null;
    };
    const code = (text('communityCode') ?? '').replace(/\s/g, '');
    const plain: Record<string, unknown> = { communityCode: code, communityName: text('communityName') ?? '', secretary: text('secretary') };
    for (const field of COUNT_FIELDS) {
      const parsed = parseCount(cells[field]);
      if (parsed.ok) plain[field] = parsed.value;
      else if (parsed.blank) plain[field] = null;
      else problems.push({ column: headers[field] ?? field, reason: parsed.reason });
    }
    if (/^\d{12}$/.test(code) && !isInCity(code)) {
      problems.push({ column: headers.communityCode ?? 'communityCode', reason: because('division-outside-hohhot', { code }) });
    }
    const validated = await validateRecord(CommunityBasicsRecord, plain, headers);
    if (!validated.ok) problems.push(...validated.problems);
    return problems.length > 0 ? { ok: false, problems } : validated;
  }

  async merge(records: StagedRecord<CommunityBasicsRecord>[], session: MergeSession, batchId: string): Promise<(MergeOutcome | FieldProblem)[]> {
    const outcomes: (MergeOutcome | FieldProblem)[] = [];
    for (const { id, payload: record } of records) {
      const result = await this.divisions.applyCommunityBasics(session.manager, {
        code: record.communityCode,
        name: record.communityName,
        households: record.households,
        residents: record.residents,
        minorityResidents: record.minorityResidents,
        reportedGrids: record.gridCount,
        reportedBuildings: record.buildingCount,
        secretaryName: record.secretary,
        communityWorkers: record.fullTimeWorkers,
      }, { batchId, sourceRecordId: id });
      if (!result.ok) outcomes.push({ column: 'communityCode', reason: result.reason });
      else outcomes.push({ entityType: 'division', entityId: result.code, outcome: result.outcome, method: result.outcome === 'created' ? 'created' : 'code' });
    }
    return outcomes;
  }
}

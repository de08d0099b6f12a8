import { Injectable } from '@nestjs/common';
import { MembershipCategory, MembershipStatus } from '@qc/database';
import { cellText, firstDay, parseDate, parsePartyCategory } from '@qc/fields';
import { PiiCipher } from '@qc/pii';
import { CellValue } from '@qc/readers';
import { MergeSession, Origin, PersonClaim, PersonFacts } from '@qc/registry';
import { idConflictWarnings, readPerson, unidentifiedReason } from './person-facts';
import { FieldProblem, MergeOutcome, ParseOutcome, RecordReference, SheetContext, SourceDefinition, StagedRecord } from './source-definition';

/** One member of a roster: S1's export of the municipal system, or an S3 ledger's 党员花名册. */
export interface MemberRecord {
  person: PersonFacts;
  organization: string | null;
  /** Titles and file name of a ledger, which name the community its short organization names belong to. */
  ledger: string | null;
  category: MembershipCategory | null;
  status: MembershipStatus;
  joinedOn: string | null;
  joinedPrecision: 'day' | 'month' | 'year' | null;
  regularizedOn: string | null;
}

const FORMER = /转出|调出|迁出|已转|转走/;
const DECEASED = /已故|去世|死亡|病故|逝世/;

@Injectable()
export class MemberRosterSource implements SourceDefinition<MemberRecord> {
  readonly layoutEntity = 'member-roster';
  readonly requiredFields = ['name'] as const;

  constructor(private readonly cipher: PiiCipher) {}

  sourceKind(format: SheetContext['format']): string {
    return format === 'csv' ? 'S1' : 'S3';
  }

  async parse(cells: Record<string, CellValue>, sheet: SheetContext): Promise<ParseOutcome<MemberRecord>> {
    const header = (field: string) => sheet.headers[field] ?? field;
    const person = readPerson({ ...cells, name: cells.name }, this.cipher, header);
    if (!person.ok) return person;
    const text = (field: string) => {
      const t = cellText(cells[field]);
      return t.ok ? t.value : '';
    };
    const organization = text('organization') || null;
    const unidentified = unidentifiedReason(person.facts, organization);
    // The unreadable cells are part of why the row identifies no one.
    if (unidentified) return { ok: false, problems: [{ column: header('name'), reason: unidentified }, ...person.warnings] };
    const category = parsePartyCategory(cells.category);
    // 人员类别 sometimes carries the note itself (已故) instead of 正式/预备.
    const note = `${text('note')} ${category.ok ? '' : text('category')}`;
    const status: MembershipStatus = DECEASED.test(note) ? 'deceased' : FORMER.test(note) ? 'former' : 'current';
    const joined = parseDate(cells.joinDate);
    const regular = parseDate(cells.regularDate);
    return {
      ok: true,
      record: {
        person: person.facts,
        organization,
        ledger: sheet.format === 'csv' ? null : sheet.titles.join(' '),
        category: category.ok ? category.value : null,
        status,
        joinedOn: joined.ok ? firstDay(joined.value) : null,
        joinedPrecision: joined.ok ? joined.value.precision : null,
        regularizedOn: regular.ok ? firstDay(regular.value) : null,
      },
      warnings: person.warnings,
    };
  }

  async merge(records: StagedRecord<MemberRecord>[], session: MergeSession, batchId: string, sourceKind: string): Promise<(MergeOutcome | FieldProblem)[]> {
    const outcomes: (MergeOutcome | FieldProblem | null)[] = [];
    const claims: PersonClaim[] = [];
    const organizations: (string | null)[] = [];
    const communities: (string | null)[] = [];
    for (const { payload } of records) communities.push(payload.ledger ? await session.places.ledgerCommunity(payload.ledger) : null);
    const named = records.flatMap(({ payload }, i) => (payload.organization ? [{ name: payload.organization, contextCommunityCode: communities[i] }] : []));
    await session.organizations.readAhead(named);
    for (const [i, record] of records.entries()) {
      const origin: Origin = { sourceRecordId: record.id, batchId, source: sourceKind };
      const { payload } = record;
      const community = communities[i];
      let organizationId: string | null = null;
      if (payload.organization) {
        const found = await session.organizations.resolve({ name: payload.organization, contextCommunityCode: community }, origin);
        if (!found.ok) {
          outcomes.push({ column: 'organization', reason: found.reason });
          continue;
        }
        organizationId = found.organization.id;
        claims.push({ facts: payload.person, organizationId, communityCode: found.organization.divisionCode ?? community, joinedOn: payload.joinedPrecision === 'day' ? payload.joinedOn : null, recordKey: record.rowHash, origin });
      } else {
        claims.push({ facts: payload.person, organizationId: null, communityCode: community, joinedOn: payload.joinedPrecision === 'day' ? payload.joinedOn : null, recordKey: record.rowHash, origin });
      }
      organizations.push(organizationId);
      outcomes.push(null);
    }
    const resolved = await session.persons.resolveMany(claims);
    let next = 0;
    return outcomes.map((outcome, i) => {
      if (outcome) return outcome;
      const person = resolved[next];
      const organizationId = organizations[next];
      const claim = claims[next++];
      const { payload } = records[i];
      const references: RecordReference[] = [];
      if (organizationId) {
        session.memberships.claim(person.personId, organizationId, {
          category: payload.category, status: payload.status, joinedOn: payload.joinedOn, joinedPrecision: payload.joinedPrecision, regularizedOn: payload.regularizedOn,
        }, claim.origin);
        references.push({ role: 'organization', entityType: 'organization', entityId: organizationId, method: 'name' });
      }
      return { entityType: 'person', entityId: person.personId, outcome: person.outcome, method: person.method, score: person.score, review: person.review, references, warnings: idConflictWarnings(person.idConflict) };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { Page } from './cursor';
import { PlaceFilter } from './grid-query';
import { MemberCounts, MEMBER_COUNTS } from './organization-query';
import { InjectReadDatabase, ReadDatabase } from './read-database';
import { divisionCodeRange, pageById, SqlFilter } from './sql';

export interface RedPropertyBranchView {
  id: string;
  shortName: string;
  formalName: string | null;
  company: { id: string; name: string; creditCode: string | null } | null;
  /** Every compound the ledger says the branch serves (its rows' 服务小区), not only the first. */
  compounds: { id: string; name: string }[];
  /** The community of the first compound it serves; null while no source named one. */
  communityCode: string | null;
  members: MemberCounts;
  foundedOn: string | null;
  foundedPrecision: 'day' | 'month' | 'year' | null;
}

// Compounds served: the branch's own compound and every compound its source rows referred to.
const SELECT = `SELECT o.id, o.short_name AS "shortName", o.formal_name AS "formalName",
  CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'name', c.name, 'creditCode', c.credit_code) END AS company,
  COALESCE((SELECT json_agg(json_build_object('id', k.id, 'name', k.name) ORDER BY k.name, k.id) FROM compound k
     WHERE k.id = o.compound_id OR k.id::text IN (
       SELECT ref.entity_id FROM record_link subject JOIN record_reference ref ON ref.source_record_id = subject.source_record_id
        WHERE subject.entity_type = 'organization' AND subject.entity_id = o.id::text
          AND ref.entity_type = 'compound' AND ref.role = 'compound')), '[]'::json) AS compounds,
  o.division_code AS "communityCode", ${MEMBER_COUNTS('o.id')} AS members,
  to_char(o.founded_on, 'YYYY-MM-DD') AS "foundedOn", o.founded_precision AS "foundedPrecision"
  FROM party_organization o LEFT JOIN property_company c ON c.id = o.property_company_id`;

@Injectable()
export class RedPropertyQuery {
  constructor(@InjectReadDatabase() private readonly dataSource: ReadDatabase) {}

  list(filter: PlaceFilter): Promise<Page<RedPropertyBranchView>> {
    const f = new SqlFilter().where(`o.tags @> ARRAY['red-property']::text[]`);
    if (filter.divisionCode) {
      const [from, to] = divisionCodeRange(filter.divisionCode);
      f.where(`o.division_code BETWEEN ${f.param(from)} AND ${f.param(to)}`);
    }
    return pageById(this.dataSource, 'red-property', SELECT, 'o.id', f, filter);
  }
}

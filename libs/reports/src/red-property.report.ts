import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { levelOfCode, significantPrefix } from '@qc/divisions';
import { DataSource } from 'typeorm';
import { ReportColumn, ReportRequest, ReportRow, ReportTable } from './report-definition';
import { reportDate, ReportScopes } from './report-scope';
import { ReportSources } from './report-sources';
import { dateAtPrecision, orNoData } from './report-values';

const COLUMNS: readonly ReportColumn[] = [
  { header: '序号', width: 6, format: 'serial' },
  { header: '党组织名称', width: 30, format: 'text' },
  { header: '物业公司', width: 28, format: 'text' },
  { header: '统一社会信用代码', width: 21, format: 'text' },
  { header: '服务小区', width: 30, format: 'text' },
  { header: '旗县区', width: 12, format: 'text' },
  { header: '街道（乡镇）', width: 16, format: 'text' },
  { header: '社区', width: 16, format: 'text' },
  { header: '党员数', width: 8, format: 'integer' },
  { header: '成立日期', width: 12, format: 'date' },
  { header: '联合党组织', width: 28, format: 'text' },
];

// Compounds served and joint organizations are what the ledger's rows said about the branch: the
// references (record_reference) of the source records whose subject it is, plus its own compound.
const RED_PROPERTY_SQL = `
WITH branch AS (
  SELECT o.* FROM party_organization o
  WHERE 'red-property' = ANY(o.tags) AND (o.division_code LIKE $1 OR ($2 AND o.division_code IS NULL))),
refs AS (
  SELECT subject.entity_id AS branch_id, ref.role, ref.entity_id FROM record_link subject
  JOIN record_reference ref ON ref.source_record_id = subject.source_record_id
  WHERE subject.entity_type = 'organization' AND subject.entity_id IN (SELECT id::text FROM branch)
    AND ref.role IN ('compound', 'joint'))
SELECT b.short_name, b.formal_name, c.name AS company, c.credit_code, to_char(b.founded_on, 'YYYY-MM-DD') AS founded_on, b.founded_precision,
  community.name AS community, street.name AS street, district.name AS district,
  (SELECT count(*) FROM membership m WHERE m.organization_id = b.id AND m.status = 'current')::int AS members,
  (SELECT string_agg(DISTINCT k.name, '、') FROM compound k
     WHERE k.id = b.compound_id OR k.id::text IN (SELECT entity_id FROM refs WHERE refs.branch_id = b.id::text AND refs.role = 'compound')) AS compounds,
  (SELECT string_agg(DISTINCT j.short_name, '、') FROM party_organization j
     WHERE j.id::text IN (SELECT entity_id FROM refs WHERE refs.branch_id = b.id::text AND refs.role = 'joint')) AS joint
FROM branch b
LEFT JOIN property_company c ON c.id = b.property_company_id
LEFT JOIN division community ON community.code = b.division_code
LEFT JOIN division street ON street.code = community.parent_code
LEFT JOIN division district ON district.code = street.parent_code
ORDER BY b.division_code NULLS LAST, c.name, b.short_name, b.id`;

interface BranchRow {
  short_name: string; formal_name: string | null; company: string | null; credit_code: string | null;
  founded_on: string | null; founded_precision: 'day' | 'month' | 'year' | null;
  community: string | null; street: string | null; district: string | null;
  members: number; compounds: string | null; joint: string | null;
}

/** 红色物业台账: the property companies' party branches (tag red-property) of the scope. */
@Injectable()
export class RedPropertyReport {
  readonly name = 'red-property';
  readonly title = '红色物业党组织台账';

  constructor(private readonly scopes: ReportScopes, private readonly sources: ReportSources, @InjectDataSource() private readonly dataSource: DataSource) {}

  async open(request: ReportRequest): Promise<ReportTable> {
    const { division, pathName } = await this.scopes.division(request.scope);
    // A branch whose community no source named yet belongs to the city only.
    const branches: BranchRow[] = await this.dataSource.query(RED_PROPERTY_SQL, [`${significantPrefix(division.code)}%`, levelOfCode(division.code) === 'city']);
    return {
      title: this.title,
      subtitle: `范围：${pathName}（${branches.length} 个红色物业党组织）　　统计日期：${reportDate()}`,
      sheetName: '红色物业',
      columns: COLUMNS,
      rows: branchRows(branches),
      sources: await this.sources.line(),
    };
  }
}

async function* branchRows(branches: BranchRow[]): AsyncGenerator<ReportRow> {
  let n = 0;
  for (const b of branches) {
    yield {
      kind: 'data',
      // What the ledger named for every branch says 无数据 when it is missing; compounds, founding date and joint organizations many branches have not.
      cells: [++n, b.formal_name ?? b.short_name, orNoData(b.company), orNoData(b.credit_code), b.compounds, orNoData(b.district), orNoData(b.street), orNoData(b.community),
        b.members, dateAtPrecision(b.founded_on, b.founded_precision), b.joint],
    };
  }
  yield { kind: 'total', cells: ['合计', `${n} 个`, '', '', '', '', '', '', branches.reduce((sum, b) => sum + b.members, 0), null, ''] };
}

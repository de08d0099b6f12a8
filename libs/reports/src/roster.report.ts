import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { levelOfCode, significantPrefix } from '@qc/divisions';
import { parseEthnicGroup } from '@qc/fields';
import { PersonalDataReader, PersonalDataReaderContext, ProtectedPersonalData, ShownPersonalData } from '@qc/pii';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { ReportColumn, ReportRequest, ReportRow, ReportTable } from './report-definition';
import { reportDate, ReportRequestError, ReportScopes } from './report-scope';
import { ReportSources } from './report-sources';
import { CATEGORY_NAMES, dateAtPrecision, GENDER_NAMES, orNoData } from './report-values';
import { cursorRows } from './server-cursor';

const COLUMNS: readonly ReportColumn[] = [
  { header: '序号', width: 8, format: 'serial' },
  { header: '姓名', width: 10, format: 'text' },
  { header: '性别', width: 6, format: 'text' },
  { header: '民族', width: 8, format: 'text' },
  { header: '出生日期', width: 12, format: 'date' },
  { header: '公民身份号码', width: 21, format: 'text' },
  { header: '联系电话', width: 14, format: 'text' },
  { header: '所在党组织', width: 30, format: 'text' },
  { header: '所属社区', width: 16, format: 'text' },
  { header: '人员类别', width: 10, format: 'text' },
  { header: '入党日期', width: 12, format: 'date' },
  { header: '转正日期', width: 12, format: 'date' },
];

/** Members of an organization and every organization under it. */
const ORGANIZATION_SCOPE = `m.organization_id IN (
  WITH RECURSIVE tree AS (SELECT id FROM party_organization WHERE id = $1::uuid
    UNION SELECT o.id FROM party_organization o JOIN tree ON o.parent_id = tree.id)
  SELECT id FROM tree)`;
/** Members of the organizations of a division's communities (the city: every organization). */
const DIVISION_SCOPE = `(o.division_code LIKE $1 OR $2::boolean)`;

const ROSTER_COUNT = `SELECT count(*)::int AS n FROM membership m JOIN party_organization o ON o.id = m.organization_id`;
/** Ciphertexts are read only for a reader who may see them: they are long, and a masked roster has no use for them. */
const rosterSelect = (withCiphers: boolean) => `
SELECT p.id, p.name, p.gender, p.ethnicity_code, to_char(p.birth_date, 'YYYY-MM-DD') AS "birthDate", p.birth_precision AS "birthPrecision",
  ${withCiphers ? 'p.id_number_cipher' : 'NULL'} AS "idNumberCipher", p.id_number_masked AS "idNumberMasked",
  ${withCiphers ? 'p.phone_cipher' : 'NULL'} AS "phoneCipher", p.phone_masked AS "phoneMasked",
  coalesce(o.formal_name, o.short_name) AS organization, d.name AS community, m.category,
  to_char(m.joined_on, 'YYYY-MM-DD') AS joined_on, m.joined_precision, to_char(m.regularized_on, 'YYYY-MM-DD') AS regularized_on
FROM membership m
JOIN person p ON p.id = m.person_id
JOIN party_organization o ON o.id = m.organization_id
LEFT JOIN division d ON d.code = o.division_code`;

interface RosterRow extends ProtectedPersonalData {
  name: string; gender: string | null; ethnicity_code: string | null;
  organization: string; community: string | null; category: string | null;
  joined_on: string | null; joined_precision: 'day' | 'month' | 'year' | null; regularized_on: string | null;
}

/** key: the organization id or division code, as the audit names it. */
interface RosterScope { key: string; label: string; where: string; params: unknown[] }

/**
 * 党员花名册 of an organization (with the organizations under it) or a division. ID numbers and
 * phones are masked unless the reader may see them; a roster in clear is audited with ONE entry
 * naming the scope and the number of members, not one per member: the scope reproduces exactly who
 * was read, and a city roster would otherwise write a million audit rows for one act of reading.
 */
@Injectable()
export class RosterReport {
  readonly name = 'roster';
  readonly title = '党员花名册';

  constructor(
    private readonly scopes: ReportScopes,
    private readonly sources: ReportSources,
    private readonly personalData: PersonalDataReader,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async open(request: ReportRequest): Promise<ReportTable> {
    const scope = await this.resolve(request.scope);
    const where = `WHERE m.status = 'current' AND ${scope.where}`;
    const [{ n: members }] = await this.dataSource.query(`${ROSTER_COUNT} ${where}`, scope.params);
    if (request.reader.mayReadPii) {
      await this.personalData.audit(request.reader, 'roster', [{ entityId: scope.key, fields: ['idNumber', 'phone'] }],
        `report roster in clear: ${scope.label}, ${members} members`);
    }
    // Byte order (COLLATE "C") sorts a million rows several times faster than a linguistic collation, and
    // groups the same way: by community, then organization, then the member's pinyin.
    const ordered = `${rosterSelect(request.reader.mayReadPii)} ${where} ORDER BY o.division_code NULLS LAST, coalesce(o.formal_name, o.short_name) COLLATE "C", p.name_pinyin COLLATE "C", p.id`;
    return {
      title: this.title,
      subtitle: `范围：${scope.label}（${members} 名党员）　　${request.reader.mayReadPii ? '含个人敏感信息，注意保密' : '身份证号、电话已脱敏，出生日期只列年份'}　　制表日期：${reportDate()}`,
      sheetName: '党员花名册',
      columns: COLUMNS,
      rows: this.rows(cursorRows<RosterRow>(this.dataSource, ordered, scope.params), request.reader),
      sources: await this.sources.line(),
    };
  }

  private async resolve(scope: string | null): Promise<RosterScope> {
    if (scope !== null && isUUID(scope)) {
      const [org] = await this.dataSource.query('SELECT coalesce(formal_name, short_name) AS name FROM party_organization WHERE id = $1', [scope]);
      if (!org) throw new ReportRequestError(`no organization ${scope}`, 404);
      return { key: scope, label: `${org.name}（含下级组织）`, where: ORGANIZATION_SCOPE, params: [scope] };
    }
    if (scope !== null && !/^\d+$/.test(scope.trim())) {
      throw new ReportRequestError('a roster scope is a division code (150105, 150105000000) or an organization id (UUID)', 400);
    }
    const { division, pathName } = await this.scopes.division(scope);
    return { key: division.code, label: pathName, where: DIVISION_SCOPE, params: [`${significantPrefix(division.code)}%`, levelOfCode(division.code) === 'city'] };
  }

  private async *rows(batches: AsyncIterable<RosterRow[]>, reader: PersonalDataReaderContext): AsyncGenerator<ReportRow> {
    let n = 0;
    const ethnicNames = new Map<string, string>();
    const ethnicity = (code: string | null) => {
      if (!code) return null;
      if (!ethnicNames.has(code)) {
        const group = parseEthnicGroup(code);
        ethnicNames.set(code, group.ok ? group.value.name : code);
      }
      return ethnicNames.get(code)!;
    };
    for await (const batch of batches) {
      const shown = await this.show(batch, reader);
      for (const r of batch) {
        const pii = shown.get(r.id)!;
        yield {
          kind: 'data',
          // Every member has these; only a probationary member's 转正日期 is left blank, as it does not apply yet.
          cells: [
            ++n, r.name, orNoData(r.gender && GENDER_NAMES[r.gender]), orNoData(ethnicity(r.ethnicity_code)), orNoData(dateAtPrecision(pii.birthDate, pii.birthPrecision)),
            orNoData(pii.idNumber), orNoData(pii.phone), r.organization, orNoData(r.community), orNoData(r.category && (CATEGORY_NAMES[r.category] ?? r.category)),
            orNoData(dateAtPrecision(r.joined_on, r.joined_precision)), r.category === 'probationary' ? null : orNoData(r.regularized_on),
          ],
        };
      }
    }
  }

  /** Masked through PersonalDataReader; in clear decrypted here, the read having been audited once for the whole roster. */
  private async show(batch: RosterRow[], reader: PersonalDataReaderContext): Promise<Map<string, ShownPersonalData>> {
    if (!reader.mayReadPii) return this.personalData.show(reader, batch, 'report roster');
    return new Map(batch.map((r) => [r.id, this.personalData.clear(r)]));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import type { SheetAccount } from '@qc/database';
import { DataSource } from 'typeorm';
import { storedInChinese } from '@qc/reasons';
import { ReportColumn, ReportRequest, ReportRow, ReportTable } from './report-definition';
import { reportDate, ReportRequestError } from './report-scope';
import { ReportSources } from './report-sources';

const COLUMNS: readonly ReportColumn[] = [
  { header: '文件 / 原因', width: 44, format: 'text' },
  { header: '来源', width: 6, format: 'text' },
  { header: '导入时间', width: 17, format: 'text' },
  { header: '状态', width: 10, format: 'text' },
  { header: '读取行数', width: 9, format: 'integer' },
  { header: '接受', width: 9, format: 'integer' },
  { header: '新建', width: 9, format: 'integer' },
  { header: '合并（匹配已有）', width: 10, format: 'integer' },
  { header: '拒绝', width: 9, format: 'integer' },
  { header: '跳过', width: 9, format: 'integer' },
  { header: '待审核', width: 9, format: 'integer' },
  { header: '合并去除的重复记录', width: 30, format: 'text' },
  { header: '警告', width: 9, format: 'integer' },
];
/** Columns of the counts summed into the total row. */
const COUNT_COLUMNS = [4, 5, 6, 7, 8, 9, 10, 12];
const REJECTED_COLUMN = 8;
const SKIPPED_COLUMN = 9;
const WARNINGS_COLUMN = 12;
/** Rows named under one warning; the count says how many there are. */
const WARNING_ROWS_SHOWN = 20;

const STATUS_NAMES: Record<string, string> = {
  queued: '排队中', staging: '读取中', merging: '合并中', completed: '已完成', failed: '失败', refused: '已拒收', unchanged: '重复文件',
  rolled_back: '已撤销',
};
/** Batches whose rows are not added to the totals: a file imported before, unchanged (its rows were counted then), or one undone. */
const NOT_TOTALLED = new Set(['unchanged', 'rolled_back']);
const ENTITY_NAMES: Record<string, string> = {
  person: '人员', organization: '党组织', division: '区划', grid: '网格', compound: '小区', building: '楼栋', property_company: '物业公司',
  membership: '党员关系', role: '职务',
};

const BATCHES_SQL = `
SELECT b.id, b.file_name, b.source_kind, to_char(b.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS imported_at, b.status,
  b.rows_read, b.accepted, b.created, b.matched, b.rejected, b.skipped, b.warnings, b.sheets,
  (SELECT count(*) FROM review_task t WHERE t.batch_id = b.id AND t.status = 'open')::int AS open_reviews
FROM import_batch b WHERE ($1::uuid IS NULL OR b.id = $1::uuid) ORDER BY b.created_at, b.id`;
// Reasons are grouped by their code and parameters, and said in Chinese from the code (see inChinese). A row
// stored before reasons had codes is grouped by its English wording with the offending values taken out:
// quoted cell text and long digit runs (an ID number, a phone) are replaced by "…", so that rows with the
// same problem count together and the report shows no personal data.
const REASON_PATTERN = `CASE WHEN reason_code IS NULL THEN regexp_replace(regexp_replace(regexp_replace(reason, '"[^"]*"', '"…"', 'g'), '“[^”]*”', '“…”', 'g'), '[0-9]{5,}[0-9Xx]?', '…', 'g') END`;
const REJECTION_REASONS_SQL = `SELECT batch_id, reason_code, reason_params, ${REASON_PATTERN} AS reason, count(*)::int AS n FROM rejection WHERE batch_id = ANY($1)
  GROUP BY 1, 2, 3, 4 ORDER BY 1, n DESC, 2, 4`;
// A skipped row's reason is its row kind, a code of the catalogue itself.
const SKIP_REASONS_SQL = `SELECT batch_id, skip_reason AS reason_code, NULL AS reason_params, coalesce(skip_reason, '') AS reason, count(*)::int AS n FROM source_record
  WHERE status = 'skipped' AND batch_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, n DESC, reason`;
// Warnings about applied rows, one line per sheet, column and reason, naming the rows.
const WARNINGS_SQL = `SELECT batch_id, sheet, column_name, reason_code, reason_params, ${REASON_PATTERN} AS reason, count(*)::int AS n,
  (array_agg(record_ref ORDER BY id))[1:${WARNING_ROWS_SHOWN}] AS refs
  FROM record_warning WHERE batch_id = ANY($1) GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, n DESC, 3, 4, 6`;
// A record whose subject link was not 'created' matched an entity already there: one duplicate fewer in the registry.
const DUPLICATES_SQL = `SELECT r.batch_id, l.entity_type, count(*)::int AS n FROM record_link l JOIN source_record r ON r.id = l.source_record_id
  WHERE l.method <> 'created' AND r.batch_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, n DESC, l.entity_type`;

interface BatchRow {
  id: string; file_name: string; source_kind: string | null; imported_at: string; status: string;
  rows_read: number; accepted: number; created: number; matched: number; rejected: number; skipped: number; warnings: number; open_reviews: number;
  sheets: SheetAccount[] | null;
}
/** Rows of one reason as SQL counts them: its code and parameters, or (stored before codes) its English wording. */
interface Counted {
  batch_id: string; reason_code: string | null; reason_params: object | null; reason: string | null; n: number;
  sheet?: string | null; column_name?: string | null; refs?: string[];
}
interface Warned extends Counted { sheet: string | null; column_name: string | null; refs: string[] }
/** Counted rows with their reason said in Chinese. */
type Said<Row extends Counted> = Omit<Row, 'reason'> & { reason: string };
interface Duplicates { batch_id: string; entity_type: string; n: number }

/**
 * 数据质量报告: per imported file, what became of each sheet and column, what became of its rows, why rows
 * were rejected or skipped, and the duplicates merging removed.
 */
@Injectable()
export class QualityReport {
  readonly name = 'quality';
  readonly title = '数据质量报告';

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly sources: ReportSources) {}

  async open(request: ReportRequest): Promise<ReportTable> {
    // Imports belong to no division: the scope is one batch, or every batch.
    if (request.scope !== null && !isUUID(request.scope)) throw new ReportRequestError('the quality report\'s scope is an import batch id (UUID), or none for every import', 400);
    const batches: BatchRow[] = await this.dataSource.query(BATCHES_SQL, [request.scope]);
    if (request.scope !== null && batches.length === 0) throw new ReportRequestError(`no import batch ${request.scope}`, 404);
    const ids = batches.map((b) => b.id);
    const [rejections, skips, duplicates, warnings] = await Promise.all([
      this.dataSource.query(REJECTION_REASONS_SQL, [ids]) as Promise<Counted[]>,
      this.dataSource.query(SKIP_REASONS_SQL, [ids]) as Promise<Counted[]>,
      this.dataSource.query(DUPLICATES_SQL, [ids]) as Promise<Duplicates[]>,
      this.dataSource.query(WARNINGS_SQL, [ids]) as Promise<Warned[]>,
    ]);
    return {
      title: this.title,
      subtitle: `范围：${request.scope === null ? `全部导入（${batches.length} 个文件）` : batches[0].file_name}　　制表日期：${reportDate()}`,
      sheetName: '数据质量',
      columns: COLUMNS,
      rows: qualityRows(batches, groupBy(inChinese(rejections)), groupBy(inChinese(skips)), groupBy(duplicates), groupBy(inChinese(warnings))),
      sources: await this.sources.line(request.scope),
    };
  }
}

/**
 * Reasons in Chinese, from their codes, counted again under their Chinese wording (reasons SQL told
 * apart by a parameter the Chinese leaves out, such as a digit count, become one line), most frequent first.
 */
function inChinese<Row extends Counted>(rows: Row[]): Said<Row>[] {
  const merged = new Map<string, Said<Row>>();
  for (const row of rows) {
    const reason = storedInChinese({ reason: row.reason, reasonCode: row.reason_code, reasonParams: row.reason_params });
    const key = JSON.stringify([row.batch_id, row.sheet, row.column_name, reason]);
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...row, reason });
    else {
      seen.n += row.n;
      if (seen.refs && row.refs) seen.refs = [...seen.refs, ...row.refs].slice(0, WARNING_ROWS_SHOWN);
    }
  }
  // Stable: rows stay grouped by batch (and sheet) as SQL ordered them.
  return [...merged.values()].sort((a, b) => (a.batch_id === b.batch_id && a.sheet === b.sheet ? b.n - a.n : 0));
}

function groupBy<Row extends { batch_id: string }>(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) groups.set(row.batch_id, [...(groups.get(row.batch_id) ?? []), row]);
  return groups;
}

/** Columns a reason spans, up to the first count column: its count stays under its heading. */
const REASON_SPAN = COUNT_COLUMNS[0];

function detail(text: string, column: number, n: number): ReportRow {
  const cells: unknown[] = Array(COLUMNS.length).fill(null);
  cells[0] = text;
  cells[column] = n;
  return { kind: 'detail', cells, span: REASON_SPAN };
}

const SHEET_STATUS: Record<SheetAccount['status'], string> = { imported: '已读取', skipped: '跳过', refused: '拒收' };

/** Per sheet: the kind read and every column used or ignored (with why), or why the sheet was skipped or refused. */
function sheetNotes(sheets: SheetAccount[]): string[] {
  return sheets.flatMap((s) => {
    const name = `工作表 ${s.sheet ?? '（文件）'}`;
    if (s.status !== 'imported') return [`${name}：${SHEET_STATUS[s.status]}（${s.rows} 行未读取）— ${storedInChinese(s)}`];
    // Accounts stored before reasons had codes say their warnings in their stored English.
    const warnings = s.warningReasons ?? s.warnings.map((reason) => ({ reason }));
    return [
      `${name}：${s.label}，使用 ${s.used.length} 列：${s.used.map((c) => `${c.header} → ${c.label}`).join('，')}`,
      ...s.ignored.map((c) => `${name}：未使用的列 ${c.header} — ${storedInChinese(c)}`),
      ...warnings.map((w) => `${name}：提醒 — ${storedInChinese(w)}`),
    ];
  });
}

function note(text: string): ReportRow {
  const cells: unknown[] = Array(COLUMNS.length).fill(null);
  cells[0] = text;
  return { kind: 'detail', cells, span: COLUMNS.length };
}

async function* qualityRows(
  batches: BatchRow[], rejections: Map<string, Said<Counted>[]>, skips: Map<string, Said<Counted>[]>, duplicates: Map<string, Duplicates[]>,
  warnings: Map<string, Said<Warned>[]>,
): AsyncGenerator<ReportRow> {
  const totals = Array(COLUMNS.length).fill(0);
  let totalled = 0;
  for (const b of batches) {
    const removed = (duplicates.get(b.id) ?? []).map((d) => `${ENTITY_NAMES[d.entity_type] ?? d.entity_type} ${d.n}`).join('；');
    const counted = !NOT_TOTALLED.has(b.status);
    const status = `${STATUS_NAMES[b.status] ?? b.status}${counted ? '' : '（不计入合计）'}`;
    const cells = [b.file_name, b.source_kind, b.imported_at, status,
      b.rows_read, b.accepted, b.created, b.matched, b.rejected, b.skipped, b.open_reviews, removed, b.warnings];
    if (counted) {
      totalled++;
      for (const column of COUNT_COLUMNS) totals[column] += cells[column] as number;
    }
    yield { kind: 'data', cells };
    for (const text of sheetNotes(b.sheets ?? [])) yield note(text);
    for (const r of rejections.get(b.id) ?? []) yield detail(`拒绝：${r.reason}`, REJECTED_COLUMN, r.n);
    for (const s of skips.get(b.id) ?? []) yield detail(`跳过：${s.reason || '未注明原因'}`, SKIPPED_COLUMN, s.n);
    for (const w of warnings.get(b.id) ?? []) yield detail(`警告：${warningPlace(w)}：${w.reason}`, WARNINGS_COLUMN, w.n);
  }
  const left = batches.length - totalled;
  yield { kind: 'total', cells: [`合计（${totalled} 个文件${left > 0 ? `，另有 ${left} 个重复或已撤销的导入不计` : ''}）`, '', '', '', ...totals.slice(4, 11), '', totals[WARNINGS_COLUMN]] };
}

/** 表 党员花名册 列 联系电话 行 7、12 等 30 行: where a warning's rows are (in a CSV, its lines). */
function warningPlace(w: Said<Warned>): string {
  const rows = w.refs.map((ref) => ref.split('!').pop()).join('、');
  const more = w.n > w.refs.length ? ` 等 ${w.n} 行` : '';
  return `${w.sheet ? `表 ${w.sheet} ` : ''}${w.column_name ? `列 ${w.column_name} ` : ''}行 ${rows}${more}`;
}

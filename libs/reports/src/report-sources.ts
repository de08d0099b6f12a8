import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The legacy sources by the names officials know them by (see ../shared/legacy-sources.md). */
export const SOURCE_KIND_NAMES: Record<string, string> = {
  S1: '市党员信息管理系统', S2: '网格化服务管理平台', S3: '社区党建台账', S4: '红色物业台账', S5: '原智慧党建平台', S6: '民政社区基本情况',
};

// Per source kind, the imports that stand (completed, not rolled back): how many files, the dates
// they were imported (Hohhot time) and the latest one's name.
const SOURCES_SQL = `
SELECT coalesce(source_kind, '') AS kind, count(*)::int AS files,
  to_char(min(created_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS first_day,
  to_char(max(created_at) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS last_day,
  (array_agg(file_name ORDER BY created_at DESC, id DESC))[1] AS latest
FROM import_batch WHERE status = 'completed' AND ($1::uuid IS NULL OR id = $1::uuid)
GROUP BY 1 ORDER BY 1`;

interface SourceRow { kind: string; files: number; first_day: string; last_day: string; latest: string }

/** The data-source line printed under every report: the imports its figures come from, and when they were imported. */
@Injectable()
export class ReportSources {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every standing import, or only the batch given. */
  async line(batchId: string | null = null): Promise<string> {
    const rows: SourceRow[] = await this.dataSource.query(SOURCES_SQL, [batchId]);
    return sourcesLine(rows);
  }
}

export function sourcesLine(rows: readonly SourceRow[]): string {
  if (rows.length === 0) return '数据来源：尚未导入任何数据';
  const parts = rows.map((r) => {
    const name = r.kind ? `${r.kind} ${SOURCE_KIND_NAMES[r.kind] ?? ''}`.trim() : '未识别来源';
    const days = r.first_day === r.last_day ? r.last_day : `${r.first_day} 至 ${r.last_day}`;
    return r.files === 1 ? `${name}：${r.latest}（${days} 导入）` : `${name}：${r.files} 个文件（${days} 导入，最近一个为 ${r.latest}）`;
  });
  return `数据来源：${parts.join('；')}。`;
}

import { Alert, App as AntApp, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { describeError, download, getJson } from '../api';
import { BarChart } from '../components/BarChart';
import { deepestOf, DivisionChoice, DivisionPicker } from '../components/DivisionPicker';
import { useSession } from '../session';
import { Batch, Page, wallClock } from '../types';

interface ReportColumn { header: string; key?: string; format?: string }
interface ReportRow { kind: string; cells: (string | number | null)[] }
interface Report { title: string; subtitle: string; columns: ReportColumn[]; rows: ReportRow[] }

/** Counts of places and organizations share a scale; members, far more, have one of their own. */
const STRUCTURE_BARS = ['grids', 'gridBranches', 'buildings', 'buildingLeads', 'buildingGroups', 'centralHouseholds', 'organizations'];
const MEMBER_BARS = ['members', 'fullMembers', 'probationaryMembers'];
/** Rows shown on screen; the download has them all. */
const SHOWN_ROWS = 500;

function cellText(value: string | number | null, column: ReportColumn): string {
  if (value === null || value === undefined) return '';
  if (column.format === 'percent' && typeof value === 'number') return `${(value * 100).toFixed(2)}%`;
  return typeof value === 'number' ? value.toLocaleString('zh-CN') : String(value);
}

export default function ReportsPage() {
  const session = useSession();
  const { message } = AntApp.useApp();
  const [name, setName] = useState('structure');
  const [division, setDivision] = useState<DivisionChoice>({});
  const [organization, setOrganization] = useState('');
  const [batchId, setBatchId] = useState<string | undefined>();
  const [batches, setBatches] = useState<Batch[] | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [reports, setReports] = useState<{ name: string; title: string }[]>([]);
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);

  useEffect(() => {
    getJson<{ name: string; title: string }[]>('/v1/reports').then(setReports, (err) => setStatus({ text: describeError(err), error: true }));
  }, []);

  useEffect(() => {
    if (name === 'quality' && batches === null && session.may('imports:read')) {
      getJson<Page<Batch>>('/v1/imports?limit=100').then((p) => setBatches(p.items), () => setBatches([]));
    }
  }, [name, batches, session]);

  const scope = name === 'quality' ? batchId : name === 'roster' && organization.trim() ? organization.trim() : deepestOf(division);
  const url = (format: string) => `/v1/reports/${name}?format=${format}${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`;

  const show = async () => {
    setStatus({ text: '正在生成…' });
    try {
      const r = await getJson<Report>(url('json'));
      setReport(r);
      setStatus({ text: `共 ${r.rows.filter((row) => row.kind === 'data').length} 行` });
    } catch (err) {
      setStatus({ text: describeError(err), error: true });
    }
  };

  const save = async (format: 'xlsx' | 'csv') => {
    setStatus({ text: '正在下载…' });
    try {
      const file = await download(url(format), `${reports.find((r) => r.name === name)?.title ?? name}.${format}`);
      setStatus({ text: `已下载 ${file}` });
      message.success(`已下载 ${file}`);
    } catch (err) {
      setStatus({ text: describeError(err), error: true });
    }
  };

  const total = report && name === 'structure' ? report.rows[report.rows.length - 1] : null;
  const barsOf = (fields: string[]) => fields.flatMap((field) => {
    const i = report!.columns.findIndex((c) => c.key === field);
    return i < 0 ? [] : [{ field, label: report!.columns[i].header, value: Number(total!.cells[i]) || 0 }];
  });

  return (
    <>
      <Card size="small">
        <Space wrap align="start">
          <Select id="report" aria-label="报表" showSearch optionFilterProp="label" style={{ width: 170 }} value={name} options={reports.map((r) => ({ value: r.name, label: r.title }))} onChange={(v) => { setName(v); setReport(null); }} />
          {name === 'quality' ? (
            <Select id="batch" aria-label="导入批次" allowClear showSearch optionFilterProp="label" placeholder="全部导入批次" style={{ width: 320 }} value={batchId} onChange={setBatchId}
              options={(batches ?? []).map((b) => ({ value: b.id, label: `${b.file}（${wallClock(b.createdAt)}）` }))} />
          ) : <DivisionPicker value={division} onChange={setDivision} />}
          {name === 'roster' && <Input aria-label="党组织 ID" placeholder="或党组织 ID（含下级组织）" value={organization} onChange={(e) => setOrganization(e.target.value)} style={{ width: 240 }} />}
        </Space>
        <div style={{ marginTop: 8 }}>
          <Space wrap>
            <Button type="primary" id="show" onClick={() => void show()}>查看</Button>
            <Button id="download-xlsx" onClick={() => void save('xlsx')}>下载 Excel</Button>
            <Button id="download-csv" onClick={() => void save('csv')}>下载 CSV</Button>
            {status && <Typography.Text id="report-status" type={status.error ? 'danger' : 'secondary'}>{status.text}</Typography.Text>}
          </Space>
        </div>
      </Card>
      {report && (
        <Card size="small" style={{ marginTop: 12 }}>
          <Typography.Title level={4} id="report-title" style={{ marginTop: 0 }}>{report.title}</Typography.Title>
          <Typography.Paragraph type="secondary" id="report-subtitle">{report.subtitle}</Typography.Paragraph>
          {total && (
            <>
              <div className="qc-figures">
                {report.columns.map((c, i) => (c.key && c.key !== 'code' ? (
                  <div className="qc-figure" key={c.key} data-field={c.key}>
                    <span className="label">{c.header}</span>
                    <span className="value" data-value={total.cells[i] === null ? '' : String(total.cells[i])}>{cellText(total.cells[i], c)}</span>
                  </div>
                ) : null))}
              </div>
              <div className="qc-charts">
                <BarChart title="组织体系（个）" kind="structure" bars={barsOf(STRUCTURE_BARS)} />
                <BarChart title="党员（人）" kind="members" bars={barsOf(MEMBER_BARS)} />
              </div>
            </>
          )}
          <Table
            className="qc-report" size="small" pagination={false} scroll={{ x: 'max-content', y: 480 }} bordered
            rowKey={(_, i) => String(i)} rowClassName={(row) => row.kind}
            dataSource={report.rows.slice(0, SHOWN_ROWS)}
            columns={report.columns.map((c, i) => ({
              title: c.header, key: String(i), align: c.format && c.format !== 'text' ? 'right' as const : undefined,
              render: (_: unknown, row: ReportRow) => cellText(row.cells[i], c),
            }))}
          />
          {report.rows.length > SHOWN_ROWS && <Alert type="info" message={`仅显示前 ${SHOWN_ROWS} 行，共 ${report.rows.length} 行；完整内容请下载。`} />}
        </Card>
      )}
    </>
  );
}

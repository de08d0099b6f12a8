import { InboxOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Descriptions, Drawer, Input, Popconfirm, Progress, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError, download, getJson, optional, postJson, readEvents, request } from '../api';
import { EtaEstimator, formatAmount, formatEta, isFinal, percentOf, Phase, PHASE_LABELS, phaseOf, STATUS_LABELS } from '../lib/progress';
import { storedInChinese } from '../../../../libs/reasons/src/catalogue';
import { useSession } from '../session';
import { Batch, BatchDetail, Page, Rejection, StoredReason, wallClock } from '../types';

const POLL_MS = 1000;

/**
 * A batch's progress while it runs: the SSE stream of GET /v1/imports/{id}/events, or, where the
 * stream is not offered or breaks, GET /v1/imports/{id} every second with If-None-Match.
 */
function useLiveBatch(initial: Batch, onFinal: () => void): { batch: Batch; lost: boolean } {
  const [batch, setBatch] = useState(initial);
  const [lost, setLost] = useState(false);
  const finalRef = useRef(onFinal);
  finalRef.current = onFinal;

  useEffect(() => {
    if (isFinal(initial.status)) return;
    const abort = new AbortController();
    let etag: string | null = null;
    const update = (next: Batch) => {
      setBatch(next);
      if (isFinal(next.status)) finalRef.current();
    };
    const poll = async () => {
      while (!abort.signal.aborted) {
        const response = await request(`/v1/imports/${initial.id}`, { headers: etag ? { 'if-none-match': etag } : {}, signal: abort.signal });
        if (response.status !== 304) {
          etag = response.headers.get('etag');
          const next = await response.json() as Batch;
          update(next);
          if (isFinal(next.status)) return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    };
    (async () => {
      let final = false;
      try {
        await readEvents(`/v1/imports/${initial.id}/events`, abort.signal, (event, data) => {
          if (event !== 'progress') return;
          const next = JSON.parse(data) as Batch;
          final = isFinal(next.status);
          update(next);
        });
      } catch {
        // No stream here (an older API) or it broke off: polling takes over.
      }
      if (!final && !abort.signal.aborted) await poll();
    })().catch(() => {
      if (!abort.signal.aborted) setLost(true);
    });
    return () => abort.abort();
  }, [initial.id, initial.status]);
  return { batch, lost };
}

function ProgressCell({ batch: initial, onFinal }: { batch: Batch; onFinal: () => void }) {
  const { batch, lost } = useLiveBatch(initial, onFinal);
  const estimator = useRef(new EtaEstimator());
  const phase: Phase = phaseOf(batch.status, batch.progress);
  const percent = phase === 'done' ? 100 : percentOf(batch.progress);
  const eta = phase === 'done' ? null : estimator.current.estimate(phase, batch.progress, Date.now());
  const failed = ['failed', 'refused'].includes(batch.status);
  return (
    <div className="qc-progress" data-phase={phase} data-status={batch.status} style={{ minWidth: 180 }}>
      <Space size={4} wrap>
        <Tag color={failed ? 'red' : batch.status === 'completed' ? 'green' : phase === 'done' ? 'default' : 'processing'}>{phase === 'done' ? STATUS_LABELS[batch.status] ?? batch.status : PHASE_LABELS[phase]}</Tag>
      </Space>
      <Progress percent={percent ?? 0} size="small" status={failed ? 'exception' : batch.status === 'completed' ? 'success' : phase === 'done' ? 'normal' : 'active'} showInfo={percent !== null} />
      {phase !== 'done' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatAmount(batch.progress)} · {formatEta(eta)}</Typography.Text>
      )}
      {lost && <Typography.Text type="danger" style={{ fontSize: 12, display: 'block' }}>与服务器的连接中断，请点“刷新”。</Typography.Text>}
    </div>
  );
}

/** Whether a rejection's sheet, column or reason (as the file or the importer wrote it, or in Chinese) holds the text. */
function rejectionMatches(r: Rejection, text: string): boolean {
  return [r.sheet, r.column, r.reason, storedInChinese(r)].some((v) => v?.includes(text));
}

function RejectionsTab({ batch }: { batch: BatchDetail }) {
  const { message } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Rejection[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (after: string | null, filter: string) => {
    setLoading(true);
    try {
      const params = new URLSearchParams({ limit: '100' });
      if (after) params.set('after', after);
      if (filter) params.set('q', filter);
      const page = await getJson<Page<Rejection>>(`/v1/imports/${batch.id}/rejections?${params}`).catch(async (err) => {
        // An API without the filter refuses q (400): the page filters what it loads itself.
        if (!filter || !(err instanceof ApiError) || err.status !== 400) throw err;
        params.delete('q');
        const unfiltered = await getJson<Page<Rejection>>(`/v1/imports/${batch.id}/rejections?${params}`);
        return { ...unfiltered, items: unfiltered.items.filter((r) => rejectionMatches(r, filter)) };
      });
      setRows((previous) => (after ? [...previous, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setLoading(false);
    }
  }, [batch.id, message]);

  useEffect(() => {
    void load(null, '');
  }, [load]);

  const downloadCsv = async () => {
    try {
      message.success(`已下载 ${await download(`/v1/imports/${batch.id}/rejections.csv`, `拒收行-${batch.file}.csv`)}`);
    } catch (err) {
      message.error(err instanceof ApiError && err.status === 404 ? '服务器尚未提供拒收行下载。' : describeError(err));
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <Input.Search id="rejection-filter" placeholder="按工作表、列或原因筛选" allowClear onSearch={(value) => { setQ(value); void load(null, value); }} style={{ width: 260 }} />
        <Button onClick={downloadCsv} id="download-rejections">下载全部拒收行（CSV）</Button>
      </Space>
      <Table<Rejection>
        className="qc-rejections" rowKey="id" size="small" loading={loading} dataSource={rows} pagination={false} scroll={{ x: 600 }}
        columns={[
          { title: '工作表', dataIndex: 'sheet', render: (v) => v ?? '—' },
          { title: '位置（行）', dataIndex: 'recordRef', render: (v) => v ?? '整个文件' },
          { title: '列', dataIndex: 'column', render: (v) => v ?? '—' },
          { title: '原因', dataIndex: 'reason', render: (reason: string, r) => <span title={reason}>{storedInChinese(r)}</span> },
        ]}
        locale={{ emptyText: q ? '没有符合筛选的拒收行' : '此批次没有拒收行' }}
      />
      {next && <Button style={{ marginTop: 8 }} onClick={() => void load(next, q)}>加载更多</Button>}
    </>
  );
}

function BatchDrawer({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const session = useSession();
  const { message } = AntApp.useApp();
  const [batch, setBatch] = useState<BatchDetail | null>(null);

  const load = useCallback(() => {
    getJson<BatchDetail>(`/v1/imports/${id}`).then(setBatch, (err) => message.error(describeError(err)));
  }, [id, message]);
  useEffect(load, [load]);

  const rollback = async () => {
    try {
      await postJson(`/v1/imports/${id}/rollback`);
      message.success('已回滚此批次');
      load();
      onChanged();
    } catch (err) {
      message.error(describeError(err));
    }
  };

  return (
    <Drawer open title={batch ? `批次：${batch.file}` : '批次'} onClose={onClose} width="min(900px, 100vw)" destroyOnHidden>
      {batch && (
        <>
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label="状态"><span id="batch-status">{STATUS_LABELS[batch.status] ?? batch.status}</span></Descriptions.Item>
            <Descriptions.Item label="来源">{batch.sourceKind ?? '未识别'}</Descriptions.Item>
            <Descriptions.Item label="读取行数">{batch.counts.rows}</Descriptions.Item>
            <Descriptions.Item label="接受 / 拒收 / 跳过">{batch.counts.accepted} / {batch.counts.rejected} / {batch.counts.skipped}</Descriptions.Item>
            <Descriptions.Item label="新建 / 匹配 / 更新">{batch.counts.created} / {batch.counts.matched} / {batch.counts.updated}</Descriptions.Item>
            <Descriptions.Item label="待审核">{batch.counts.reviewPending}</Descriptions.Item>
            <Descriptions.Item label="开始">{wallClock(batch.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="结束">{wallClock(batch.finishedAt)}</Descriptions.Item>
          </Descriptions>
          {batch.error && <Alert type="error" showIcon message={batch.error} style={{ marginTop: 8 }} />}
          {session.may('admin') && batch.status === 'completed' && (
            <Popconfirm title="回滚此批次？" description="将撤销此批次对登记数据的全部贡献，记录和拒收行保留。" okText="回滚" cancelText="取消" onConfirm={rollback}>
              <Button danger style={{ marginTop: 8 }} id="rollback">回滚此批次</Button>
            </Popconfirm>
          )}
          <Tabs
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'sheets', label: '列映射',
                children: batch.sheets.length === 0 ? <Typography.Text type="secondary">尚未读取工作表</Typography.Text> : batch.sheets.map((s, i) => (
                  <Card key={i} size="small" style={{ marginBottom: 8 }} title={`${s.sheet ?? 'CSV'} → ${s.label ?? '未识别'}（${s.status === 'imported' ? '已导入' : s.status === 'skipped' ? '已跳过' : '被拒收'}，${s.rows} 行）`}>
                    {s.reason && <Alert type="warning" message={storedInChinese(s)} style={{ marginBottom: 8 }} />}
                    <Typography.Text strong>使用的列：</Typography.Text>
                    <Space size={[4, 4]} wrap style={{ marginBottom: 8 }}>
                      {s.used.map((u) => <Tag key={u.header} color="blue">{u.header} → {u.label}{u.evidence === 'values' ? '（按内容）' : ''}</Tag>)}
                    </Space>
                    <br />
                    <Typography.Text strong>忽略的列：</Typography.Text>
                    {s.ignored.length === 0 ? '无' : s.ignored.map((g) => <div key={g.header}><Tag>{g.header}</Tag><Typography.Text type="secondary">{storedInChinese(g)}</Typography.Text></div>)}
                    {(s.warningReasons ?? s.warnings.map((reason): StoredReason => ({ reason }))).map((w) => <Alert key={w.reason} type="warning" showIcon message={storedInChinese(w)} style={{ marginTop: 4 }} />)}
                  </Card>
                )),
              },
              {
                key: 'warnings', label: `警告（${batch.counts.warnings}）`,
                children: (
                  <Table
                    size="small" rowKey={(w) => `${w.recordRef}/${w.column}`} dataSource={batch.firstWarnings} pagination={false} scroll={{ x: 600 }}
                    columns={[{ title: '位置', dataIndex: 'recordRef' }, { title: '列', dataIndex: 'column' }, { title: '原因', dataIndex: 'reason', render: (reason: string, w) => <span title={reason}>{storedInChinese(w)}</span> }]}
                    footer={() => (batch.counts.warnings > batch.firstWarnings.length ? `仅显示前 ${batch.firstWarnings.length} 条，完整统计见数据质量报告。` : null)}
                  />
                ),
              },
              { key: 'rejections', label: <span id="tab-rejections">拒收行（{batch.counts.rejected}）</span>, children: <RejectionsTab batch={batch} /> },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

interface Inbox { name: string; folder: string; cron: string; lastRuns: { at: string; files: number; batchIds: string[]; outcome: string }[] }

function InboxesCard() {
  const [inboxes, setInboxes] = useState<Inbox[] | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    optional(getJson<Inbox[] | { items: Inbox[] }>('/v1/inboxes')).then(
      (body) => setInboxes(body === null ? null : Array.isArray(body) ? body : body.items),
      (err) => setError(describeError(err)),
    );
  }, []);
  return (
    <Card title="定时收件箱" size="small" style={{ marginTop: 16 }}>
      {error && <Alert type="error" message={error} />}
      {inboxes === null && <Typography.Text type="secondary">服务器尚未提供收件箱信息。</Typography.Text>}
      {inboxes && inboxes.length === 0 && <Typography.Text type="secondary">未配置定时收件箱（见配置项 QC_INBOXES）。</Typography.Text>}
      {inboxes && inboxes.length > 0 && (
        <Table<Inbox>
          size="small" rowKey="name" dataSource={inboxes} pagination={false} scroll={{ x: 600 }}
          columns={[
            { title: '名称', dataIndex: 'name' },
            { title: '文件夹', dataIndex: 'folder' },
            { title: '计划（cron）', dataIndex: 'cron' },
            {
              title: '最近运行', render: (_, inbox) => (inbox.lastRuns ?? []).slice(0, 3).map((r) => (
                <div key={r.at}>{wallClock(r.at)} · {r.files} 个文件 · {r.outcome}</div>
              )),
            },
          ]}
        />
      )}
    </Card>
  );
}

export default function ImportsPage() {
  const session = useSession();
  const { message } = AntApp.useApp();
  const [batches, setBatches] = useState<Batch[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setBatches((await getJson<Page<Batch>>('/v1/imports?limit=50')).items);
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setLoading(false);
    }
  }, [message]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      {session.may('imports:write') && (
        <Upload.Dragger
          id="upload" multiple showUploadList={{ showRemoveIcon: false }}
          customRequest={async ({ file, onSuccess, onError }) => {
            const form = new FormData();
            form.append('file', file as File);
            try {
              const batch = await (await request('/v1/imports', { method: 'POST', body: form })).json() as Batch;
              onSuccess?.(batch);
              message.success(`已接收 ${batch.file}`);
              // Shown at once as the server answered (queued), then as the list reads it.
              setBatches((previous) => [batch, ...previous.filter((b) => b.id !== batch.id)]);
              void load();
            } catch (err) {
              message.error(`${(file as File).name}：${describeError(err)}`);
              onError?.(err as Error);
            }
          }}
        >
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">把文件拖到这里，或点击选择文件（可多选）</p>
          <p className="ant-upload-hint">支持 CSV、XLSX、XLS 和 JSON：系统按内容识别表格种类，无需配置。</p>
        </Upload.Dragger>
      )}
      <Card title="导入批次" size="small" style={{ marginTop: 16 }} extra={<Button onClick={() => void load()} size="small">刷新</Button>}>
        <Table<Batch>
          className="qc-batches" rowKey="id" size="small" loading={loading} dataSource={batches} pagination={false} scroll={{ x: 900 }}
          columns={[
            { title: '文件', dataIndex: 'file', render: (file, b) => <a onClick={() => setOpen(b.id)} className="qc-batch-file">{file}</a> },
            { title: '来源', dataIndex: 'sourceKind', width: 60, render: (v) => v ?? '—' },
            { title: '进度', key: 'progress', width: 260, render: (_, b) => <ProgressCell key={`${b.id}/${b.status}`} batch={b} onFinal={() => void load()} /> },
            { title: '行数', width: 80, render: (_, b) => b.counts.rows },
            { title: '拒收', width: 70, render: (_, b) => (b.counts.rejected ? <Typography.Text type="danger">{b.counts.rejected}</Typography.Text> : 0) },
            { title: '待审核', width: 70, render: (_, b) => b.counts.reviewPending },
            { title: '时间', dataIndex: 'createdAt', width: 170, render: wallClock },
            { title: '', width: 70, render: (_, b) => <Button size="small" onClick={() => setOpen(b.id)}>详情</Button> },
          ]}
          locale={{ emptyText: '还没有导入批次' }}
        />
      </Card>
      <InboxesCard />
      {open && <BatchDrawer id={open} onClose={() => setOpen(null)} onChanged={() => void load()} />}
    </>
  );
}

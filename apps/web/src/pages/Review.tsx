import { Alert, App as AntApp, Button, Card, Descriptions, Empty, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError, getJson, optional, postJson } from '../api';
import { DivisionChoice, DivisionPicker } from '../components/DivisionPicker';
import { describeTask, FIELD_LABELS, fieldValue, KIND_LABELS, labelOf, LEVEL_LABELS, REVIEW_STATUS_LABELS } from '../lib/labels';
import { useSession } from '../session';
import { Page, wallClock } from '../types';

interface SideSummary { name?: string; community?: string | null; organization?: string | null }
interface Task {
  id: string; kind: string; entityType?: string; score: number | null; status: string; summary: string;
  left?: SideSummary; right?: SideSummary; leftId?: string; rightId?: string; decidedAt: string | null; decidedBy?: string | null; decision?: string | null; note: string | null;
}
type Named = string | { name?: string; formalName?: string; shortName?: string; id?: string };
interface Source { sourceKind?: string | null; file?: string | null; batchId?: string | null; row?: string | number | null; recordRef?: string | null }
interface Side {
  entityType: string; id: string; found: boolean; mergedInto: string | null; records: number; fields: Record<string, unknown>;
  organizations?: Named[]; communities?: Named[]; sources?: Source[];
}
interface TaskView { task: Task; left: Side; right: Side; evidence: { field: string; level: string; weight: number }[] }
interface EntityMerge { id: string; entityType: string; survivorId: string; mergedId: string; survivorName?: string; mergedName?: string; mergedAt: string; mergedBy?: string; note?: string | null; unmergedAt?: string | null }

const nameOf = (n: Named) => (typeof n === 'string' ? n : n.formalName ?? n.name ?? n.shortName ?? n.id ?? '');

/** Open tasks sorted by score; an API without the filters and sort answers 400 to them, so the page asks again without and sorts itself. */
async function listTasks(status: 'open' | 'decided', filters: { kind?: string; division?: DivisionChoice }): Promise<{ items: Task[]; filtered: boolean }> {
  const params = new URLSearchParams({ status, limit: '200', sort: 'score' });
  if (filters.kind) params.set('kind', filters.kind);
  // A street narrows the district filter (its code is the prefix of its communities'); a community is its own filter.
  const area = filters.division?.street ?? filters.division?.district;
  if (area) params.set('district', area);
  if (filters.division?.community) params.set('community', filters.division.community);
  try {
    return { items: (await getJson<Page<Task>>(`/v1/review-tasks?${params}`)).items, filtered: true };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 400) throw err;
  }
  const statuses = status === 'open' ? ['open'] : ['merged', 'kept-apart', 'resolved'];
  const pages = await Promise.all(statuses.map((s) => getJson<Page<Task>>(`/v1/review-tasks?status=${s}&limit=200`)));
  const items = pages.flatMap((p) => p.items).filter((t) => !filters.kind || t.kind === filters.kind);
  return { items: items.sort((a, b) => (b.score ?? 0) - (a.score ?? 0)), filtered: !area };
}

function SideCard({ title, side, evidenceFields }: { title: string; side: Side; evidenceFields: Set<string> }) {
  const fields = Object.entries(side.fields).filter(([k, v]) => v !== null && v !== undefined && v !== '' && k !== 'birthPrecision');
  return (
    <Card size="small" title={title} className="qc-side">
      {!side.found && <Alert type="info" message={side.mergedInto ? `已并入 ${side.mergedInto}` : '此记录已不存在'} />}
      <Descriptions size="small" column={1} bordered>
        {fields.map(([k, v]) => (
          <Descriptions.Item key={k} label={labelOf(FIELD_LABELS, k)}>
            <span style={evidenceFields.has(k) ? { fontWeight: 600 } : undefined}>{fieldValue(k, v)}</span>
          </Descriptions.Item>
        ))}
        <Descriptions.Item label="所在党组织">{side.organizations?.length ? side.organizations.map(nameOf).join('；') : '—'}</Descriptions.Item>
        <Descriptions.Item label="社区">{side.communities?.length ? side.communities.map(nameOf).join('；') : '—'}</Descriptions.Item>
        <Descriptions.Item label="来源记录">
          {side.sources?.length ? side.sources.map((s, i) => <div key={i}>{[s.sourceKind, s.file, s.recordRef ?? (s.row !== undefined && s.row !== null ? `第 ${s.row} 行` : null)].filter(Boolean).join(' · ')}</div>) : `${side.records} 条`}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function TaskDetail({ id, onDecided, onNext, onPrevious }: { id: string; onDecided: () => void; onNext: () => void; onPrevious: () => void }) {
  const session = useSession();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<TaskView | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const canDecide = session.may('review:write') && view?.task.status === 'open';

  useEffect(() => {
    setView(null);
    setNote('');
    getJson<TaskView>(`/v1/review-tasks/${id}`).then(setView, (err) => message.error(describeError(err)));
  }, [id, message]);

  const decide = useCallback(async (decision: 'merge' | 'keep-apart') => {
    if (busy) return;
    setBusy(true);
    try {
      await postJson(`/v1/review-tasks/${id}/decision`, { decision, ...(note.trim() ? { note: note.trim() } : {}) });
      message.success(decision === 'merge' ? '已合并' : '已保持分开');
      onDecided();
    } catch (err) {
      message.error(describeError(err));
    } finally {
      setBusy(false);
    }
  }, [busy, id, note, message, onDecided]);

  // Shortcuts work anywhere but in the note, where the letters are typed.
  const handlers = useRef({ decide, onNext, onPrevious, canDecide });
  handlers.current = { decide, onNext, onPrevious, canDecide };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
      const h = handlers.current;
      if (e.key === 'm' && h.canDecide) void h.decide('merge');
      else if (e.key === 'n' && h.canDecide) void h.decide('keep-apart');
      else if (e.key === 'j') h.onNext();
      else if (e.key === 'k') h.onPrevious();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!view) return <Card loading size="small" />;
  const evidenceFields = new Set(view.evidence.map((e) => e.field));
  return (
    <Card size="small" className="qc-task" data-task={id}
      title={<span>{labelOf(KIND_LABELS, view.task.kind)} · 得分 {view.task.score?.toFixed(2) ?? '—'} · {labelOf(REVIEW_STATUS_LABELS, view.task.status)}</span>}>
      <Typography.Paragraph>{describeTask({ ...view.task, left: { name: (view.left.fields.name ?? view.task.left?.name) as string | undefined }, right: { name: (view.right.fields.name ?? view.task.right?.name) as string | undefined } })}</Typography.Paragraph>
      <div className="qc-side-by-side">
        <SideCard title="记录 A（新）" side={view.left} evidenceFields={evidenceFields} />
        <SideCard title="记录 B（已有）" side={view.right} evidenceFields={evidenceFields} />
      </div>
      <Table
        className="qc-evidence" size="small" style={{ marginTop: 12 }} rowKey="field" pagination={false} dataSource={view.evidence}
        columns={[
          { title: '比对项', dataIndex: 'field', render: (f) => labelOf(FIELD_LABELS, f) },
          { title: '符合程度', dataIndex: 'level', render: (l) => labelOf(LEVEL_LABELS, l) },
          { title: '权重', dataIndex: 'weight', align: 'right', render: (w: number) => <Typography.Text type={w >= 0 ? 'success' : 'danger'}>{w >= 0 ? '+' : ''}{w.toFixed(2)}</Typography.Text> },
        ]}
      />
      {canDecide && (
        <div style={{ marginTop: 12 }}>
          <Input.TextArea id="decision-note" rows={2} placeholder="备注（可选）：为什么这样决定" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          <Space wrap style={{ marginTop: 8 }}>
            <Button type="primary" id="merge" loading={busy} onClick={() => void decide('merge')} disabled={view.task.kind !== 'possible-duplicate'}>合并为同一人 <kbd>M</kbd></Button>
            <Button id="keep-apart" loading={busy} onClick={() => void decide('keep-apart')}>保持分开 <kbd>N</kbd></Button>
            <Typography.Text type="secondary">上一条 <kbd>K</kbd> · 下一条 <kbd>J</kbd></Typography.Text>
          </Space>
        </div>
      )}
      {view.task.status !== 'open' && <Alert style={{ marginTop: 8 }} type="info" message={`${labelOf(REVIEW_STATUS_LABELS, view.task.status)}${view.task.note ? `：${view.task.note}` : ''}`} />}
    </Card>
  );
}

function DecidedList({ reload }: { reload: number }) {
  const session = useSession();
  const { message } = AntApp.useApp();
  const [tasks, setTasks] = useState<Task[]>([]);
  const [merges, setMerges] = useState<EntityMerge[] | null>([]);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    listTasks('decided', {}).then((r) => setTasks(r.items.sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''))), (err) => message.error(describeError(err)));
    optional(getJson<Page<EntityMerge>>('/v1/entity-merges?limit=100')).then((p) => setMerges(p ? p.items : null), (err) => message.error(describeError(err)));
  }, [reload, tick, message]);

  const undo = async (path: string) => {
    try {
      await postJson(path);
      message.success('已撤销');
      setTick((t) => t + 1);
    } catch (err) {
      message.error(err instanceof ApiError && err.status === 404 ? '服务器尚未提供撤销功能。' : describeError(err));
    }
  };
  const mayUndo = session.may('review:write');
  return (
    <>
      <Card size="small" title="已决定的审核任务" style={{ marginTop: 16 }}>
        <Table<Task>
          className="qc-decided" size="small" rowKey="id" dataSource={tasks} pagination={{ pageSize: 10 }} scroll={{ x: 600 }}
          columns={[
            { title: '任务', render: (_, t) => <span title={t.summary}>{describeTask(t)}</span> },
            { title: '决定', dataIndex: 'status', width: 90, render: (s) => labelOf(REVIEW_STATUS_LABELS, s) },
            { title: '备注', dataIndex: 'note', render: (n) => n ?? '' },
            { title: '时间', dataIndex: 'decidedAt', width: 170, render: wallClock },
            ...(mayUndo ? [{ title: '', width: 70, render: (_: unknown, t: Task) => <Button size="small" onClick={() => void undo(`/v1/review-tasks/${t.id}/undo`)}>撤销</Button> }] : []),
          ]}
          locale={{ emptyText: '还没有已决定的任务' }}
        />
      </Card>
      <Card size="small" title="手工合并" style={{ marginTop: 16 }}>
        {merges === null ? <Typography.Text type="secondary">服务器尚未提供手工合并列表。</Typography.Text> : (
          <Table<EntityMerge>
            size="small" rowKey="id" dataSource={merges} pagination={{ pageSize: 10 }} scroll={{ x: 600 }}
            columns={[
              { title: '保留', render: (_, m) => m.survivorName ?? m.survivorId },
              { title: '并入', render: (_, m) => m.mergedName ?? m.mergedId },
              { title: '备注', dataIndex: 'note', render: (n) => n ?? '' },
              { title: '时间', dataIndex: 'mergedAt', width: 170, render: wallClock },
              ...(mayUndo ? [{
                title: '', width: 90, render: (_: unknown, m: EntityMerge) => (m.unmergedAt ? '已拆分'
                  : <Button size="small" onClick={() => void undo(`/v1/${m.entityType === 'organization' ? 'organizations' : 'persons'}/${m.mergedId}/unmerge`)}>拆分</Button>),
              }] : []),
            ]}
            locale={{ emptyText: '没有手工合并' }}
          />
        )}
      </Card>
    </>
  );
}

export default function ReviewPage() {
  const { message } = AntApp.useApp();
  const [division, setDivision] = useState<DivisionChoice>({});
  const [kind, setKind] = useState<string>('');
  const [tasks, setTasks] = useState<Task[]>([]);
  const [filtered, setFiltered] = useState(true);
  const [selected, setSelected] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    listTasks('open', { kind: kind || undefined, division }).then((r) => {
      setTasks(r.items);
      setFiltered(r.filtered);
      setSelected((current) => (current && r.items.some((t) => t.id === current) ? current : r.items[0]?.id ?? null));
    }, (err) => message.error(describeError(err)));
  }, [division, kind, reload, message]);

  const index = tasks.findIndex((t) => t.id === selected);
  const move = (step: number) => {
    const next = tasks[index + step];
    if (next) setSelected(next.id);
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 8 }}>
        <DivisionPicker value={division} onChange={setDivision} />
        <Select aria-label="类型" style={{ width: 140 }} value={kind} onChange={setKind}
          options={[{ value: '', label: '全部类型' }, { value: 'possible-duplicate', label: '疑似重复' }, { value: 'conflict', label: '冲突' }]} />
        <Typography.Text type="secondary" id="open-count">待审核 {tasks.length} 条</Typography.Text>
      </Space>
      {!filtered && <Alert type="warning" showIcon message="服务器尚不支持按地区筛选，显示的是全部待审核任务。" style={{ marginBottom: 8 }} />}
      <div className="qc-review">
        <Card size="small" title="待审核（按得分从高到低）">
          {tasks.length === 0 ? <Empty description="没有待审核的任务" /> : (
            <List
              className="qc-worklist" size="small" dataSource={tasks} style={{ maxHeight: 320, overflow: 'auto' }}
              renderItem={(t) => (
                <List.Item onClick={() => setSelected(t.id)} data-task={t.id} style={{ cursor: 'pointer', background: t.id === selected ? '#fff1f0' : undefined }}>
                  <Space direction="vertical" size={0} style={{ width: '100%' }}>
                    <Space wrap><Tag>{labelOf(KIND_LABELS, t.kind)}</Tag><Typography.Text strong>{t.score?.toFixed(2) ?? '—'}</Typography.Text><span title={t.summary}>{describeTask(t)}</span></Space>
                    {t.left && t.right && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {[t.left.name, t.left.community, t.left.organization].filter(Boolean).join(' · ')} ⇄ {[t.right.name, t.right.community, t.right.organization].filter(Boolean).join(' · ')}
                      </Typography.Text>
                    )}
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
        {selected && (
          <div style={{ marginTop: 12 }}>
            <TaskDetail id={selected} onNext={() => move(1)} onPrevious={() => move(-1)} onDecided={() => { move(1); setReload((r) => r + 1); }} />
          </div>
        )}
      </div>
      <DecidedList reload={reload} />
    </>
  );
}

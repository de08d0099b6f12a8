export type Phase = 'queued' | 'reading' | 'matching' | 'merging' | 'done';

/** A batch's progress as GET /v1/imports/{id} gives it (phase, unit, ETA may be absent from an older API). */
export interface BatchProgress {
  phase?: Phase;
  done: number;
  total: number | null;
  unit?: 'rows' | 'bytes';
  etaSeconds?: number | null;
  phaseStartedAt?: string | null;
}

export const PHASE_LABELS: Record<Phase, string> = { queued: '排队中', reading: '读取文件', matching: '比对', merging: '合并入库', done: '已完成' };

export const STATUS_LABELS: Record<string, string> = {
  queued: '排队中', staging: '读取文件', merging: '合并入库', completed: '已完成', failed: '失败', refused: '被拒收', unchanged: '未变化（重复文件）', rolled_back: '已回滚',
};

const FINAL = new Set(['completed', 'failed', 'refused', 'unchanged', 'rolled_back']);

export function isFinal(status: string): boolean {
  return FINAL.has(status);
}

/** The phase: the API's own, else read from the batch's status (an API without phases). */
export function phaseOf(status: string, progress: BatchProgress | undefined): Phase {
  if (progress?.phase) return progress.phase;
  if (isFinal(status)) return 'done';
  return status === 'staging' ? 'reading' : status === 'merging' ? 'merging' : 'queued';
}

/** Percent done of total, or null while the total is unknown. */
export function percentOf(progress: BatchProgress | undefined): number | null {
  if (!progress || progress.total === null || progress.total <= 0) return null;
  return Math.min(100, Math.floor((progress.done / progress.total) * 100));
}

/** Seconds left, in words: 约 2 分 5 秒, 不到 1 秒; null stays unknown. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '预计剩余时间：计算中';
  if (seconds < 1) return '预计剩余：不到 1 秒';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return `预计剩余：约 ${h ? `${h} 小时 ` : ''}${h || m ? `${m} 分 ` : ''}${r} 秒`;
}

/** Done of total in the unit counted: 1,200 / 30,000 行, or 2.5 / 14.0 MB read. */
export function formatAmount(progress: BatchProgress): string {
  if (progress.unit === 'bytes') {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    return `${mb(progress.done)}${progress.total === null ? '' : ` / ${mb(progress.total)}`} MB`;
  }
  const n = (v: number) => v.toLocaleString('zh-CN');
  return `${n(progress.done)}${progress.total === null ? '' : ` / ${n(progress.total)}`} 行`;
}

/**
 * Seconds left when the API gives none: from the rate between the first and the latest sample of
 * the current phase (a new phase or unit starts the measure again).
 */
export class EtaEstimator {
  private start: { key: string; at: number; done: number } | null = null;

  estimate(phase: Phase, progress: BatchProgress, at: number): number | null {
    if (progress.etaSeconds !== undefined) return progress.etaSeconds;
    const key = `${phase}/${progress.unit ?? 'rows'}`;
    if (!this.start || this.start.key !== key || progress.done < this.start.done) {
      this.start = { key, at, done: progress.done };
      return null;
    }
    const rate = (progress.done - this.start.done) / ((at - this.start.at) / 1000);
    if (progress.total === null || !(rate > 0)) return null;
    return Math.max(0, (progress.total - progress.done) / rate);
  }
}

import { FINAL_BATCH_STATUSES, ImportBatch, ProgressPhase } from '@qc/database';
import { DataSource, EntityManager } from 'typeorm';

/** A batch's progress as clients show it: the phase, how far it is of a known total, and the time left. */
export interface BatchProgress {
  phase: 'queued' | ProgressPhase | 'done';
  done: number;
  total: number | null;
  unit: 'rows' | 'bytes';
  etaSeconds: number | null;
  phaseStartedAt: Date | null;
}

/**
 * Writes a batch's progress in its own statement, outside the job's transaction, so that readers
 * see it move while the transaction runs. The phase's start is stamped when the phase changes.
 */
export async function reportProgress(db: DataSource | EntityManager, batchId: string, phase: ProgressPhase, done: number, total: number): Promise<void> {
  await db.query(
    `UPDATE import_batch SET progress_done = $3, progress_total = $4,
            progress_phase_started_at = CASE WHEN progress_phase IS DISTINCT FROM $2 THEN clock_timestamp() ELSE progress_phase_started_at END,
            progress_phase = $2
      WHERE id = $1`,
    [batchId, phase, done, total],
  );
}

/**
 * Where a batch is. Queued: nothing of the file read yet. Reading: bytes of the file read, of its
 * size. Matching: accepted records matched to the registry and applied, of all of them. Merging:
 * every record matched, the merge settles what they changed as a whole and commits. Done: every
 * row read accounted for (rows = accepted + rejected + skipped), whatever the outcome.
 *
 * The time left assumes the phase goes on at the rate it has kept since it began (done over the
 * time elapsed); it is null while nothing is done yet, when the rest of a phase is not counted
 * (merging), and once the batch is final.
 */
export function progressOf(batch: ImportBatch, now = Date.now()): BatchProgress {
  if (FINAL_BATCH_STATUSES.includes(batch.status)) {
    return { phase: 'done', done: batch.rowsRead, total: batch.rowsRead, unit: 'rows', etaSeconds: null, phaseStartedAt: batch.finishedAt };
  }
  const fileBytes = Number(batch.fileBytes);
  if (batch.status === 'queued' || !batch.progressPhase) {
    return { phase: 'queued', done: 0, total: fileBytes, unit: 'bytes', etaSeconds: null, phaseStartedAt: batch.createdAt };
  }
  const phase = batch.progressPhase;
  const total = batch.progressTotal ?? (phase === 'reading' ? fileBytes : null);
  const done = total === null ? batch.progressDone : Math.min(batch.progressDone, total);
  const started = batch.progressPhaseStartedAt;
  const elapsedMs = started ? now - started.getTime() : 0;
  const etaSeconds = phase === 'merging' || total === null || done <= 0 || done >= total || elapsedMs <= 0
    ? null
    : Math.round(((total - done) * elapsedMs) / done / 1000);
  return { phase, done, total, unit: phase === 'reading' ? 'bytes' : 'rows', etaSeconds, phaseStartedAt: started };
}

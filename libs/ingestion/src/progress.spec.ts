import { ImportBatch } from '@qc/database';
import { progressOf } from './progress';

const batch = (fields: Partial<ImportBatch>): ImportBatch => ({
  status: 'staging', fileBytes: '8000', rowsRead: 0, progressPhase: null, progressDone: 0, progressTotal: null, progressPhaseStartedAt: null,
  createdAt: new Date(0), finishedAt: null, ...fields,
} as ImportBatch);

describe('progressOf', () => {
  const started = new Date(1_000_000);

  it('is queued with the file size as total until the stage starts', () => {
    expect(progressOf(batch({ status: 'queued' }))).toEqual({ phase: 'queued', done: 0, total: 8000, unit: 'bytes', etaSeconds: null, phaseStartedAt: new Date(0) });
  });

  it('reads bytes of the file size, the time left at the rate since the phase began', () => {
    const reading = batch({ progressPhase: 'reading', progressDone: 2000, progressTotal: 8000, progressPhaseStartedAt: started });
    // 2000 bytes in 4 s: 6000 more take 12 s.
    expect(progressOf(reading, started.getTime() + 4000)).toEqual({ phase: 'reading', done: 2000, total: 8000, unit: 'bytes', etaSeconds: 12, phaseStartedAt: started });
  });

  it('matches rows of the accepted ones; no time left before the first is done', () => {
    const matching = batch({ status: 'merging', progressPhase: 'matching', progressDone: 0, progressTotal: 300, progressPhaseStartedAt: started });
    expect(progressOf(matching, started.getTime() + 5000)).toMatchObject({ phase: 'matching', unit: 'rows', done: 0, total: 300, etaSeconds: null });
    expect(progressOf({ ...matching, progressDone: 100 } as ImportBatch, started.getTime() + 5000)).toMatchObject({ done: 100, etaSeconds: 10 });
  });

  it('gives no time left while merging, whose rest is not counted', () => {
    const merging = batch({ status: 'merging', progressPhase: 'merging', progressDone: 300, progressTotal: 300, progressPhaseStartedAt: started });
    expect(progressOf(merging, started.getTime() + 1000)).toMatchObject({ phase: 'merging', done: 300, total: 300, etaSeconds: null });
  });

  it('is done once final, every row read accounted for', () => {
    const finishedAt = new Date(2_000_000);
    const completed = batch({ status: 'completed', rowsRead: 42, progressPhase: 'merging', progressDone: 40, progressTotal: 40, finishedAt });
    expect(progressOf(completed)).toEqual({ phase: 'done', done: 42, total: 42, unit: 'rows', etaSeconds: null, phaseStartedAt: finishedAt });
  });
});

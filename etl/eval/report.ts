import { ImportSummary } from '@qc/ingestion';
import { describeMismatches, StatsComparison } from './division-stats';
import type { DriftReport } from './drift-measures';
import { FileMeasurement, TypeMeasurement } from './measure';

export interface FileResult extends ImportSummary, Partial<FileMeasurement> {
  kind: string;
  durationMs: number;
}

/** Everything one run measured; written as JSON and printed as tables. */
export interface EvalResults {
  finishedAt: string;
  city: { source: 'generated' | 'samples'; dir: string; kept: boolean; seed: string; communities: number; members: number | null };
  database: { server: string; name: string; kept: boolean };
  jobs: 'bullmq' | 'in-process';
  types: Record<string, TypeMeasurement>;
  validRejected: number;
  invalidAccepted: number;
  /** null: the registry has no review_task table yet. */
  reviewTasks: number | null;
  hardNegativesChecked: number;
  hardNegativeViolations: number;
  hardNegativeViolationExamples: [string, string][];
  divisionStats: StatsComparison | { skipped: string };
  /** The goals of issue 15, for a drifted city. */
  drift?: DriftReport;
  files: FileResult[];
  pipelineFailures: string[];
  durations: { generateMs: number; setupMs: number; importMs: number; measureMs: number; totalMs: number };
}

const ratio = (value: number | null) => (value === null ? '–' : value.toFixed(4));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Text columns first (left-aligned), then numbers (right-aligned); an optional last text column is left as is. */
function table(header: string[], rows: string[][], textColumns = 1, trailingText = false): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const last = header.length - 1;
  const line = (cells: string[]) =>
    cells.map((c, i) => (trailingText && i === last ? c : i < textColumns ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function formatReport(results: EvalResults): string[] {
  const types = Object.entries(results.types);
  const lines = [
    '',
    'Matching quality: pairwise over valid truth rows (rejected and unlinked rows are singletons)',
    ...table(
      ['type', 'rows', 'linked', 'truth ent.', 'pred. ent.', 'truth pairs', 'pred. pairs', 'true pairs', 'precision', 'recall', 'F1'],
      types.map(([type, t]) => [
        type === t.registryType ? type : `${type} → ${t.registryType}`,
        ...[t.rows, t.linkedRows, t.truthEntities, t.predictedEntities, t.truthPairs, t.predictedPairs, t.truePairs].map(String),
        ratio(t.precision), ratio(t.recall), ratio(t.f1),
      ]),
    ),
  ];
  for (const [type, t] of types) {
    const notes = [
      t.notStaged && `${t.notStaged} not staged (file refused or failed)`,
      t.skipped && `${t.skipped} skipped as blank/subtotal`,
      t.validRejected && `${t.validRejected} rejected`,
      t.linkedAs && `linked as ${Object.entries(t.linkedAs).map(([as, n]) => `${as} ${n}`).join(', ')}`,
    ].filter(Boolean);
    if (notes.length > 0) lines.push(`  ${type}: ${notes.join('; ')}`);
  }
  const stats = results.divisionStats;
  lines.push(
    '',
    `valid rows rejected:      ${results.validRejected}  (goal 0)`,
    `invalid rows accepted:    ${results.invalidAccepted}`,
    `hard negatives merged:    ${results.hardNegativeViolations} of ${results.hardNegativesChecked}  (goal 0)`,
    `open review tasks:        ${results.reviewTasks ?? 'n/a'}`,
    'skipped' in stats
      ? `division stats:           skipped: ${stats.skipped}`
      : `division stats:           ${stats.mismatches.length} of ${stats.figuresCompared} figures differ (${stats.communities} communities and the city)`,
    ...('skipped' in stats ? [] : describeMismatches(stats)),
    '',
    'Files',
    ...table(
      ['kind', 'status', 'rows', 'accepted', 'rejected', 'skipped', 'created', 'matched', 'truth rows', 'linked', 'unknown refs', 'time', 'file'],
      results.files.map((f) => [
        f.kind, f.status,
        ...[f.rows, f.accepted, f.rejected, f.skipped, f.created, f.matched, f.truthRecords ?? 0, f.linked ?? 0, f.stagedNotInTruth ?? 0].map(String),
        seconds(f.durationMs), f.file,
      ]),
      2,
      true,
    ),
    '',
    `city: ${results.city.source} ${results.city.dir} (seed ${results.city.seed}, ${results.city.communities} communities` +
      `${results.city.members === null ? '' : `, ${results.city.members} members`})${results.city.kept ? ', kept' : ''}`,
    `database: ${results.database.name} on ${results.database.server}${results.database.kept ? ', kept' : ', dropped'}; jobs ${results.jobs}`,
    `time: generate ${seconds(results.durations.generateMs)}, setup ${seconds(results.durations.setupMs)}, ` +
      `import ${seconds(results.durations.importMs)}, measure ${seconds(results.durations.measureMs)}, total ${seconds(results.durations.totalMs)}`,
  );
  for (const failure of results.pipelineFailures) lines.push(`PIPELINE FAILURE: ${failure}`);
  return lines;
}

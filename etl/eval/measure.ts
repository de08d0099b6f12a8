/** Joins what the pipeline staged and linked with the ground truth, and scores it per entity type. */
import { mergedTruthPairs, pairwiseCounts, PairwiseCounts, PredictedRow, TruthRow } from './pairwise';
import { StagedRecord } from './staged-records';
import { recordKey, registryTypeOf, TruthRecord } from './truth';

export interface TypeMeasurement extends PairwiseCounts {
  registryType: string;
  validRejected: number;
  /** Valid rows the pipeline has no record of: their file was refused or failed, or the references disagree. */
  notStaged: number;
  /** Valid rows the pipeline staged as blank or subtotal. */
  skipped: number;
  /** Linked rows per registry entity type, when some went to a type other than registryType. */
  linkedAs?: Record<string, number>;
}

export interface FileMeasurement { truthRecords: number; staged: number; linked: number; stagedNotInTruth: number }

export interface Measurement {
  types: Record<string, TypeMeasurement>;
  files: Record<string, FileMeasurement>;
  validRejected: number;
  /** Truth rows marked invalid (rows that identify nobody), and how many of them the pipeline rejected. */
  invalidRows: number;
  invalidRejected: number;
  invalidAccepted: number;
  /** Pairwise counts over the rows of named sets of truth entities (e.g. the persons who are central households). */
  subsets: Record<string, PairwiseCounts>;
  hardNegativesChecked: number;
  hardNegativeViolations: [string, string][];
}

interface TypeBucket {
  truth: TruthRow[];
  predicted: PredictedRow[];
  linkedAs: Record<string, number>;
  validRejected: number;
  notStaged: number;
  skipped: number;
}

interface Outcome { status: StagedRecord['status']; predictedId: string | null; entityType: string | null }

export async function measure(
  truth: Map<string, TruthRecord>,
  staged: AsyncIterable<StagedRecord>,
  hardNegatives: [string, string][],
  subsets: Record<string, ReadonlySet<string>> = {},
): Promise<Measurement> {
  const files: Record<string, FileMeasurement> = {};
  const fileOf = (name: string) => (files[name] ??= { truthRecords: 0, staged: 0, linked: 0, stagedNotInTruth: 0 });
  const outcomes = new Map<string, Outcome>();
  for await (const record of staged) {
    const key = recordKey(record.fileName, record.recordRef);
    const file = fileOf(record.fileName);
    file.staged++;
    if (record.entityId !== null) file.linked++;
    if (!truth.has(key)) {
      // A title, header or subtotal row counts as skipped on both sides; anything else means misaligned references.
      if (record.status !== 'skipped') file.stagedNotInTruth++;
      continue;
    }
    const predictedId = record.entityId === null ? null : JSON.stringify([record.entityType, record.entityId]);
    outcomes.set(key, { status: record.status, predictedId, entityType: record.entityType });
  }

  const buckets = new Map<string, TypeBucket>();
  const allTruth: TruthRow[] = [];
  const allPredicted: PredictedRow[] = [];
  let invalidRows = 0;
  let invalidRejected = 0;
  let invalidAccepted = 0;
  for (const [key, record] of truth) {
    fileOf(record.file).truthRecords++;
    const outcome = outcomes.get(key);
    if (!record.valid) {
      invalidRows++;
      if (outcome?.status === 'accepted') invalidAccepted++;
      if (outcome?.status === 'rejected') invalidRejected++;
      continue;
    }
    let bucket = buckets.get(record.entityType);
    if (!bucket) buckets.set(record.entityType, (bucket = { truth: [], predicted: [], linkedAs: {}, validRejected: 0, notStaged: 0, skipped: 0 }));
    const truthRow = { key, truthId: record.truthId };
    bucket.truth.push(truthRow);
    allTruth.push(truthRow);
    if (!outcome) bucket.notStaged++;
    else if (outcome.status === 'skipped') bucket.skipped++;
    else if (outcome.status === 'rejected') bucket.validRejected++;
    if (outcome?.predictedId) {
      const predictedRow = { key, predictedId: outcome.predictedId };
      bucket.predicted.push(predictedRow);
      allPredicted.push(predictedRow);
      bucket.linkedAs[outcome.entityType!] = (bucket.linkedAs[outcome.entityType!] ?? 0) + 1;
    }
  }

  const types: Record<string, TypeMeasurement> = {};
  for (const [truthType, { truth: truthRows, predicted, linkedAs, ...counts }] of [...buckets].sort(([a], [b]) => a.localeCompare(b))) {
    const registryType = registryTypeOf(truthType);
    const elsewhere = Object.keys(linkedAs).some((type) => type !== registryType);
    types[truthType] = { ...(await pairwiseCounts(truthRows, predicted)), registryType, ...counts, ...(elsewhere ? { linkedAs } : {}) };
  }
  const subsetCounts: Record<string, PairwiseCounts> = {};
  for (const [name, ids] of Object.entries(subsets)) {
    const rows = allTruth.filter((row) => ids.has(row.truthId));
    const keys = new Set(rows.map((row) => row.key));
    subsetCounts[name] = await pairwiseCounts(rows, allPredicted.filter((row) => keys.has(row.key)));
  }
  return {
    types,
    files,
    validRejected: Object.values(types).reduce((sum, t) => sum + t.validRejected, 0),
    invalidRows,
    invalidRejected,
    invalidAccepted,
    subsets: subsetCounts,
    hardNegativesChecked: hardNegatives.length,
    // Truth ids are unique across types and predicted ids carry their type, so one pass over all rows does.
    hardNegativeViolations: await mergedTruthPairs(hardNegatives, allTruth, allPredicted),
  };
}

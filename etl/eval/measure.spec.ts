import { measure } from './measure';
import { StagedRecord } from './staged-records';
import { recordKey, TruthRecord } from './truth';

const S1 = '党员信息导出.csv';
const S6 = '社区基本情况.csv';

function truthOf(rows: [file: string, ref: string, entityType: string, truthId: string, valid?: boolean][]): Map<string, TruthRecord> {
  return new Map(rows.map(([file, ref, entityType, truthId, valid = true]) => [recordKey(file, ref), { file, entityType, truthId, valid }]));
}

function staged(file: string, ref: string, status: StagedRecord['status'], link?: [string, string]): StagedRecord {
  return { fileName: file, recordRef: ref, status, entityType: link?.[0] ?? null, entityId: link?.[1] ?? null };
}

async function* streamed(rows: StagedRecord[]): AsyncIterable<StagedRecord> {
  yield* rows;
}

describe('measure', () => {
  const truth = truthOf([
    [S6, '2', 'division', 'D1'],
    [S6, '3', 'division', 'D2'],
    [S1, '2', 'person', 'P1'],
    [S1, '3', 'person', 'P1'],
    [S1, '4', 'person', 'P2'],
    [S1, '5', 'person', 'P2', false],
    [S1, '6', 'person', 'P3'],
  ]);

  it('scores each type on its valid rows, with rejected and missing rows as singletons', async () => {
    const result = await measure(truth, streamed([
      staged(S6, '2', 'accepted', ['division', '150105001019']),
      staged(S6, '3', 'accepted', ['division', '150102004008']),
      staged(S1, '2', 'accepted', ['person', 'a']),
      staged(S1, '3', 'rejected'),
      staged(S1, '4', 'accepted', ['person', 'b']),
      staged(S1, '5', 'accepted', ['person', 'b']),
    ]), []);
    expect(result.types.division).toMatchObject({ registryType: 'division', rows: 2, linkedRows: 2, predictedEntities: 2, truthPairs: 0 });
    expect(result.types.person).toMatchObject({
      registryType: 'person', rows: 4, linkedRows: 2, truthEntities: 3, predictedEntities: 2,
      truthPairs: 1, predictedPairs: 0, truePairs: 0, recall: 0, validRejected: 1, notStaged: 1, skipped: 0,
    });
    expect(result.types.person.linkedAs).toBeUndefined();
    expect(result).toMatchObject({ validRejected: 1, invalidAccepted: 1 });
    expect(result.files[S1]).toEqual({ truthRecords: 5, staged: 4, linked: 3, stagedNotInTruth: 0 });
  });

  it('counts staged data rows the truth does not know, but not skipped ones', async () => {
    const result = await measure(truth, streamed([
      staged(S6, '1', 'skipped'),
      staged(S6, '9', 'accepted', ['division', 'x']),
      staged(S6, '2', 'accepted', ['division', 'y']),
    ]), []);
    expect(result.files[S6]).toEqual({ truthRecords: 2, staged: 3, linked: 2, stagedNotInTruth: 1 });
    expect(result.types.division).toMatchObject({ rows: 2, linkedRows: 1, notStaged: 1 });
  });

  it('reports rows linked to another registry type, and never pairs entities of different types', async () => {
    const result = await measure(truth, streamed([
      staged(S1, '2', 'accepted', ['person', 'same-id']),
      staged(S1, '3', 'accepted', ['membership', 'same-id']),
    ]), []);
    expect(result.types.person).toMatchObject({ linkedAs: { person: 1, membership: 1 }, predictedEntities: 2, predictedPairs: 0 });
  });

  it('finds hard negatives that ended in one entity', async () => {
    const result = await measure(truth, streamed([
      staged(S1, '2', 'accepted', ['person', 'a']),
      staged(S1, '4', 'accepted', ['person', 'a']),
      staged(S1, '6', 'accepted', ['person', 'c']),
    ]), [['P1', 'P2'], ['P2', 'P3']]);
    expect(result).toMatchObject({ hardNegativesChecked: 2, hardNegativeViolations: [['P1', 'P2']] });
  });

  it('counts the invalid rows it rejected, and scores a named set of truth entities on its own', async () => {
    const result = await measure(truth, streamed([
      staged(S1, '2', 'accepted', ['person', 'a']),
      staged(S1, '3', 'accepted', ['person', 'a']),
      staged(S1, '4', 'accepted', ['person', 'b']),
      staged(S1, '5', 'rejected'),
      staged(S1, '6', 'accepted', ['person', 'b']),
    ]), [], { households: new Set(['P2', 'P3']) });
    expect(result).toMatchObject({ invalidRows: 1, invalidRejected: 1, invalidAccepted: 0 });
    // P2's row (4) and P3's row (6) went to one entity: a false pair; P1's rows are not in the set.
    expect(result.subsets.households).toMatchObject({ rows: 2, truthPairs: 0, predictedPairs: 1, truePairs: 0, precision: 0 });
  });
});

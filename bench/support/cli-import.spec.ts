import { judgeImport } from './cli-import';

const COMPLETED = {
  batchId: 'b1', file: 'a.csv', status: 'completed', sourceKind: 'S1', rows: 10, accepted: 8, rejected: 1, skipped: 1,
  created: 8, matched: 0, updated: 0, reviewPending: 0, error: null,
};

function run(summary: object | string, exitCode = 0) {
  return { exitCode, signal: null, stdout: typeof summary === 'string' ? summary : JSON.stringify(summary, null, 2), stderr: '' };
}

describe('judgeImport', () => {
  it('accepts the expected outcome with an accounting that adds up', () => {
    expect(judgeImport(run(COMPLETED), 'completed')).toEqual({ summary: COMPLETED, error: null });
  });

  it('reports a refused import with its reason, never a time', () => {
    const refused = { ...COMPLETED, status: 'refused', rows: 0, accepted: 0, rejected: 0, skipped: 0, error: 'a.csv: sheets of member-roster cannot be imported yet' };
    expect(judgeImport(run(refused, 2), 'completed').error).toBe('refused: a.csv: sheets of member-roster cannot be imported yet (expected completed)');
  });

  it('reports a re-import that was not recognised as unchanged', () => {
    expect(judgeImport(run(COMPLETED), 'unchanged').error).toBe('completed (expected unchanged)');
  });

  it('reports an accounting that does not add up, and an empty import', () => {
    expect(judgeImport(run({ ...COMPLETED, skipped: 5 }), 'completed').error).toMatch(/does not add up: rows 10 ≠ accepted 8/);
    expect(judgeImport(run({ ...COMPLETED, rows: 0, accepted: 0, rejected: 0, skipped: 0 }), 'completed').error).toBe('the import read no rows');
  });

  it('reports a crash with the end of what the process said', () => {
    const crashed = { exitCode: 1, signal: null, stdout: '', stderr: 'starting\nqingcheng: connect ECONNREFUSED 127.0.0.1:5432\n' };
    expect(judgeImport(crashed, 'completed')).toEqual({ summary: null, error: 'the import printed no accounting (exit code 1): starting | qingcheng: connect ECONNREFUSED 127.0.0.1:5432' });
    expect(judgeImport({ ...crashed, exitCode: null, signal: 'SIGKILL', stderr: '' }, 'completed').error).toBe('the import printed no accounting (killed by SIGKILL): (no output)');
  });
});

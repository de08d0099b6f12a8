import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Figure, mergeFigures, readFigures, renderMarkdown, writeResults } from './results-file';

const ORDER = ['s1-import', 's1-reimport', 's3-xlsx-read'];

function figure(name: string, fields: Partial<Figure> = {}): Figure {
  return {
    name,
    value: 12.5,
    unit: 's',
    baseline: { name: 'psql copy', value: 5 },
    ratio: 2.5,
    rows: 1_019_000,
    peakRssMb: 310.2,
    goal: 'ratio ≤ 3',
    goalMet: true,
    error: null,
    date: '2024-03-01T08:00:00.000Z',
    machine: { cpus: 2, model: 'Xeon', memGb: 23.5, node: 'v20.19.0', pgVersion: '15.20' },
    ...fields,
  };
}

describe('mergeFigures', () => {
  it('replaces only the figures measured again, keeping the benchmark order', () => {
    const stored = [figure('s3-xlsx-read'), figure('s1-import', { value: 1 }), figure('s1-reimport')];
    const merged = mergeFigures(stored, [figure('s1-import', { value: 2 })], ORDER);
    expect(merged.map((f) => [f.name, f.value])).toEqual([['s1-import', 2], ['s1-reimport', 12.5], ['s3-xlsx-read', 12.5]]);
  });

  it('keeps figures of benchmarks that no longer exist, last', () => {
    expect(mergeFigures([figure('retired'), figure('s1-import')], [], ORDER).map((f) => f.name)).toEqual(['s1-import', 'retired']);
  });
});

describe('renderMarkdown', () => {
  it('shows each figure, its goal, the failures and how to reproduce', () => {
    const failed = figure('s1-reimport', { value: null, ratio: null, goalMet: null, peakRssMb: null, error: 'refused: cannot be imported yet' });
    const markdown = renderMarkdown([figure('s1-import'), failed], 'npm run bench');
    expect(markdown).toContain('| s1-import | 12.5 s | psql copy: 5 s | 2.5 | yes | 1,019,000 | 310 | 2024-03-01 08:00 | 2× Xeon, 23.5 GB, Node v20.19.0, PostgreSQL 15.20 |');
    expect(markdown).toContain('| s1-reimport | **failed** |');
    expect(markdown).toContain('- **s1-reimport**: refused: cannot be imported yet');
    expect(markdown).toContain('- **s1-import**: ratio ≤ 3');
    expect(markdown).toMatch(/## How to reproduce\n\nnpm run bench\n$/);
  });

  it('escapes table separators inside cells', () => {
    expect(renderMarkdown([figure('a|b')], '')).toContain('| a\\|b |');
  });
});

describe('writeResults', () => {
  it('merges into results.json and renders RESULTS.md from the whole file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qc-bench-results-'));
    const json = join(dir, 'results.json');
    const markdown = join(dir, 'RESULTS.md');
    expect(readFigures(json)).toEqual([]);
    writeResults(json, markdown, [figure('s1-import'), figure('s3-xlsx-read')], ORDER, 'x');
    writeResults(json, markdown, [figure('s3-xlsx-read', { value: 99 })], ORDER, 'x');
    expect(readFigures(json).map((f) => [f.name, f.value])).toEqual([['s1-import', 12.5], ['s3-xlsx-read', 99]]);
    expect(readFileSync(markdown, 'utf8')).toContain('| s1-import |');
  });
});

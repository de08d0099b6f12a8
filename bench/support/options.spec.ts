import { BenchUsageError, DEFAULT_OPTIONS, parseBenchOptions } from './options';

const KNOWN = ['s1-import', 's1-reimport', 's3-xlsx-read'];

describe('parseBenchOptions', () => {
  it('runs everything at the default sizes when nothing is given', () => {
    expect(parseBenchOptions([], {}, KNOWN)).toEqual({ names: KNOWN, ...DEFAULT_OPTIONS });
  });

  it('takes names and flags, in either form, before the environment', () => {
    const options = parseBenchOptions(['s3-xlsx-read', '--rows', '20_000', '--repeat=5', 's1-import', 's3-xlsx-read'], { BENCH_ROWS: '7', BENCH_S3_ROWS: '5000', BENCH_SEED: 'x1' }, KNOWN);
    expect(options).toEqual({ names: ['s3-xlsx-read', 's1-import'], rows: 20000, s3Rows: 5000, repeat: 5, seed: 'x1' });
  });

  it.each([
    [['s9-nothing'], /unknown benchmark s9-nothing; known: s1-import/],
    [['--row', '5'], /unknown option --row/],
    [['--rows'], /--rows needs a value/],
    [['--rows', '0'], /positive whole number/],
    [['--repeat', '1.5'], /positive whole number/],
    [['--seed', '../x'], /letters, digits/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseBenchOptions(argv, {}, KNOWN)).toThrow(BenchUsageError);
    expect(() => parseBenchOptions(argv, {}, KNOWN)).toThrow(message);
  });
});

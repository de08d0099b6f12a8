/**
 * CLI: npx ts-node etl/generate/main.ts --out DIR [--seed N] [--communities N]
 *      [--members N] [--only S1,S3] [--s3-rows N] [--s1-encoding gb18030|utf8-bom] [--drift] [--quiet]
 */
import { generateCity, GenerateOptions } from './generate';

function usage(): never {
  console.error(
    'usage: ts-node etl/generate/main.ts --out DIR [--seed N] [--communities N] [--members N] ' +
      '[--only S1,S3] [--s3-rows N] [--s1-encoding gb18030|utf8-bom] [--drift] [--quiet]',
  );
  process.exit(2);
}

export function parseArgs(argv: string[]): GenerateOptions & { quiet?: boolean } {
  const opts: Partial<GenerateOptions> & { quiet?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage();
      return v;
    };
    const num = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) usage();
      return n;
    };
    switch (flag) {
      case '--out':
        opts.out = value();
        break;
      case '--seed':
        opts.seed = value();
        break;
      case '--communities':
        opts.communities = num();
        break;
      case '--members':
        opts.members = num();
        break;
      case '--only':
        opts.only = value();
        break;
      case '--s3-rows':
        opts.s3Rows = num();
        break;
      case '--s1-encoding': {
        const e = value();
        if (e !== 'gb18030' && e !== 'utf8-bom') usage();
        opts.s1Encoding = e;
        break;
      }
      case '--drift':
        opts.drift = true;
        break;
      case '--quiet':
        opts.quiet = true;
        break;
      case '-h':
      case '--help':
        usage();
      // eslint-disable-next-line no-fallthrough
      default:
        console.error(`unknown argument ${a}`);
        usage();
    }
  }
  if (!opts.out) usage();
  return opts as GenerateOptions & { quiet?: boolean };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  let last = 0;
  const summary = await generateCity({
    ...opts,
    onProgress: opts.quiet
      ? undefined
      : (done, total) => {
          const now = Date.now();
          if (now - last > 2000 || done === total) {
            last = now;
            process.stderr.write(`communities ${done}/${total}\n`);
          }
        },
  });
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  console.log(
    JSON.stringify(
      {
        out: summary.out,
        seed: summary.seed,
        communities: summary.communities,
        members: summary.members,
        persons: summary.persons,
        organizations: summary.organizations,
        files: summary.files.map((f) => `${f.kind} ${f.file}: ${f.rows} rows (${f.validRows} valid), ${f.bytes} bytes`),
        elapsedMs: summary.elapsedMs,
        rssMb: rss,
      },
      null,
      2,
    ),
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  });
}

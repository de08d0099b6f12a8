import type { MatchWeights } from '@qc/matching';
import { writeFileSync } from 'node:fs';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { Output, UsageError, writableOutput } from '../output';
import { Runtime } from '../runtime';
import { dataSourceOf } from './db.command';

interface TrainOptions { sample?: number; out?: string; fixedU?: boolean }

const weightOf = (p: { m: number; u: number }) => Math.log2(p.m / p.u).toFixed(2).padStart(7);

@SubCommand({ name: 'train', description: 'estimate matching weights (Fellegi–Sunter m/u) by EM from the registry\'s person records' })
export class MatchingTrainCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(_: string[], options: TrainOptions): Promise<void> {
    if (options.out) await writableOutput(options.out);
    const records = options.sample ?? 20_000;
    const [{ estimateEm, estimateU, levelsOf, loadMatchWeights, toMatchWeights }, { collectTrainingSample }] = await Promise.all([import('@qc/matching'), import('@qc/registry')]);
    const current = loadMatchWeights();
    const sample = await collectTrainingSample((await dataSourceOf(this.runtime)).manager, records, records * 5);
    if (sample.blocked.length === 0 || sample.random.length === 0) throw new UsageError(`too few person records to train on (${sample.records}); import some first`);
    const levels = levelsOf(current);
    const u = estimateU(sample.random, levels);
    // u from random pairs is what a pair of strangers looks like; over blocked candidates (which already
    // share a name or phone) EM re-estimates it unless --fixed-u holds it.
    const em = estimateEm(sample.blocked, levels, { start: current.fields, fixedU: options.fixedU ? u : undefined, lambda: 0.5 });
    const trained = toMatchWeights(current, em.m, em.u);
    this.out.line(`${sample.records} person records, ${sample.blocked.length} blocked pairs, ${sample.random.length} random pairs`);
    this.out.line(`EM ${em.converged ? 'converged' : 'did NOT converge'} after ${em.iterations} iterations; estimated share of matches among blocked pairs λ = ${em.lambda.toFixed(3)}`);
    this.printComparison(current, trained);
    if (options.out) {
      writeFileSync(options.out, `${JSON.stringify({ $comment: [`Trained by qingcheng matching train on ${sample.records} records (EM${options.fixedU ? ', u fixed from random pairs' : ''}); thresholds kept from the current weights.`], ...trained }, null, 2)}\n`);
      this.out.line(`written to ${options.out} (try it: QC_MATCH_WEIGHTS=${options.out} npm run eval)`);
    }
  }

  private printComparison(current: MatchWeights, trained: MatchWeights): void {
    this.out.line('field         level       current m      u    weight | trained m      u    weight');
    for (const [field, levels] of Object.entries(current.fields)) {
      for (const [level, p] of Object.entries(levels)) {
        const t = trained.fields[field as keyof MatchWeights['fields']][level];
        this.out.line(`${field.padEnd(13)} ${level.padEnd(10)} ${p.m.toPrecision(3).padStart(9)} ${p.u.toPrecision(3).padStart(9)} ${weightOf(p)} | ${t.m.toPrecision(3).padStart(9)} ${t.u.toPrecision(3).padStart(9)} ${weightOf(t)}`);
      }
    }
  }

  @Option({ flags: '--sample <n>', description: 'person records to sample (default 20000)' })
  parseSample(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 100) throw new UsageError('--sample must be a whole number of at least 100');
    return n;
  }

  @Option({ flags: '--out <file>', description: 'write the trained weights there, in the format of config/matching.json' })
  parseOut(value: string): string { return value; }

  @Option({ flags: '--fixed-u', description: 'hold u at what random pairs show; estimate only m' })
  parseFixedU(): boolean { return true; }
}

@Command({ name: 'matching', description: 'matching weights: train', subCommands: [MatchingTrainCommand] })
export class MatchingCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng matching train [--sample N] [--out FILE] [--fixed-u]');
  }
}

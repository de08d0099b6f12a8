import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { PersonalDataReaderContext } from '@qc/pii';
import type { ReviewDecision } from '@qc/registry';
import { Output, UsageError } from '../output';
import { Runtime } from '../runtime';
import { asUsage, cliActor } from './curation-errors';

const reviewQueue = async (runtime: Runtime) => runtime.get((await import('@qc/registry')).ReviewQueue, 'registry');

/** At the command line personal data is shown masked: the clear values are for keys with registry:read-pii. */
const maskedReader = (): PersonalDataReaderContext => ({ actor: cliActor(), apiKeyId: null, mayReadPii: false });

@SubCommand({ name: 'list', description: 'open review tasks, oldest first' })
export class ReviewListCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(_: string[], options: { json?: boolean; all?: boolean }): Promise<void> {
    const queue = await reviewQueue(this.runtime);
    const tasks = [];
    let after: string | undefined;
    do {
      const page = await queue.list({ status: options.all ? undefined : 'open', limit: 1000, after });
      tasks.push(...page.items);
      after = page.nextCursor ?? undefined;
    } while (after);
    if (options.json) return this.out.json(tasks);
    if (tasks.length === 0) this.out.line('no review tasks open');
    for (const t of tasks) this.out.line(`${t.id}  ${t.status.padEnd(10)} ${t.kind.padEnd(18)} ${t.score ?? ''}\t${t.summary}`);
  }
  @Option({ flags: '--json', description: 'print the tasks as JSON' }) parseJson() { return true; }
  @Option({ flags: '--all', description: 'decided tasks too' }) parseAll() { return true; }
}

@SubCommand({ name: 'show', arguments: '<id>', description: 'a task with both sides (personal data masked) and the evidence per field' })
export class ReviewShowCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([id]: string[], options: { json?: boolean }): Promise<void> {
    const queue = await reviewQueue(this.runtime);
    const view = await asUsage(() => queue.get(id, maskedReader()));
    if (options.json) return this.out.json(view);
    const { task } = view;
    this.out.line(`${task.id}  ${task.kind}  ${task.status}${task.decidedBy ? ` by ${task.decidedBy}` : ''}`);
    this.out.line(task.summary);
    for (const [label, side] of [['record', view.left], ['registry', view.right]] as const) {
      const state = side.found ? '' : side.mergedInto ? ` (merged into ${side.mergedInto})` : ' (gone)';
      this.out.line(`  ${label.padEnd(8)} ${side.entityType} ${side.id}${state}, ${side.records} record(s)`);
      for (const [field, value] of Object.entries(side.fields)) if (value !== null) this.out.line(`    ${field.padEnd(14)} ${String(value)}`);
    }
    if (view.evidence.length > 0) this.out.line(`  evidence${view.evidenceRecomputed ? ' (recomputed)' : ''}, score ${task.score ?? '-'}:`);
    for (const e of view.evidence) this.out.line(`    ${e.field.padEnd(14)} ${e.level.padEnd(10)} ${e.weight >= 0 ? '+' : ''}${e.weight}`);
  }
  @Option({ flags: '--json', description: 'print as JSON' }) parseJson() { return true; }
}

@SubCommand({ name: 'decide', arguments: '<id> <decision>', description: 'decide a task: merge | keep-apart' })
export class ReviewDecideCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([id, decision]: string[], options: { note?: string }): Promise<void> {
    if (decision !== 'merge' && decision !== 'keep-apart') throw new UsageError('usage: qingcheng review decide <id> merge|keep-apart [--note TEXT]');
    const curation = await this.runtime.get((await import('@qc/registry')).CurationService, 'registry');
    const task = await asUsage(() => curation.decide(id, decision as ReviewDecision, cliActor(), options.note ?? null));
    this.out.line(`${task.id}: ${task.status}`);
  }
  @Option({ flags: '--note <text>', description: 'why' }) parseNote(v: string) { return v; }
}

@Command({ name: 'review', description: 'review tasks: list, show, decide', subCommands: [ReviewListCommand, ReviewShowCommand, ReviewDecideCommand] })
export class ReviewCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng review list [--json] | review show <id> | review decide <id> merge|keep-apart [--note TEXT]');
  }
}

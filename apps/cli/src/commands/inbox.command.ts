import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { InboxConfig } from '@qc/config';
import { dirname, join } from 'node:path';
import { Output, UsageError } from '../output';
import { appConfig, Runtime } from '../runtime';
import { untilStopped } from './serve.command';

/** The configured inboxes the names choose (all when none is named). */
function choose(configured: InboxConfig[], names: string[]): InboxConfig[] {
  if (configured.length === 0) throw new UsageError('no inboxes are configured (inboxes in config/<NODE_ENV>.json, or QC_INBOXES)');
  const unknown = names.filter((n) => !configured.some((i) => i.name === n));
  if (unknown.length > 0) throw new UsageError(`no inbox named ${unknown.join(', ')}; configured: ${configured.map((i) => i.name).join(', ')}`);
  return names.length === 0 ? configured : configured.filter((i) => names.includes(i.name));
}

@SubCommand({
  name: 'run',
  arguments: '[names...]',
  description: 'import from the configured inboxes (all, or those named) on their schedules until stopped; --once: one pass now',
})
export class InboxRunCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(names: string[], options: { once?: boolean }): Promise<void> {
    const chosen = choose((await appConfig()).inboxes, names);
    const [{ InboxScheduler, InboxService }, { displayFileName }] = await Promise.all([import('@qc/ingestion'), import('@qc/readers')]);
    // Built with the inboxes first: the queue alone would leave them out.
    await this.runtime.open('inboxes');
    const queue = await this.runtime.queue();
    // Without a running worker this process does the work itself, through the same jobs.
    if (!(await queue.consumersOnline())) await queue.consumeHere();
    if (!options.once) {
      (await this.runtime.get(InboxScheduler, 'inboxes')).start(chosen);
      this.out.line(`importing from ${chosen.map((i) => `${i.name} (${i.cron})`).join(', ')}; Ctrl-C stops it`);
      await untilStopped();
      return;
    }
    const inboxes = await this.runtime.get(InboxService, 'inboxes');
    for (const inbox of chosen) {
      const outcomes = await inboxes.runPass(inbox);
      if (!outcomes) {
        this.out.line(`${inbox.name}: skipped, another pass of it is running`);
        continue;
      }
      this.out.line(`${inbox.name}: ${outcomes.length} file(s) from ${inbox.folder}`);
      // Where the file went, under its masked name (as the batch shows it), and why when it was quarantined.
      for (const o of outcomes) this.out.line(`  ${o.file}: ${o.status}, batch ${o.batchId}, moved to ${join(dirname(o.movedTo), displayFileName(o.movedTo))}${o.reason ? ` (${o.reason})` : ''}`);
      if (outcomes.some((o) => o.status === 'refused' || o.status === 'failed')) process.exitCode = 2;
    }
  }

  @Option({ flags: '--once', description: 'one pass over each inbox now, then exit' })
  parseOnce(): boolean {
    return true;
  }
}

@Command({ name: 'inbox', description: 'scheduled imports from inbox folders', subCommands: [InboxRunCommand] })
export class InboxCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng inbox run [NAME…] [--once]');
  }
}

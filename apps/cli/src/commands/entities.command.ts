import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import type { MergeableType } from '@qc/registry';
import { Output, UsageError } from '../output';
import { Runtime } from '../runtime';
import { asUsage, cliActor } from './curation-errors';

const curationOf = async (runtime: Runtime) => runtime.get((await import('@qc/registry')).CurationService, 'registry');

async function entityType(type: string | undefined): Promise<MergeableType> {
  const { MERGEABLE_TYPES } = await import('@qc/registry');
  if (!MERGEABLE_TYPES.includes(type as MergeableType)) throw new UsageError(`the entity type is one of: ${MERGEABLE_TYPES.join(', ')}`);
  return type as MergeableType;
}

@SubCommand({ name: 'merge', arguments: '<type> <survivor> <merged>', description: 'merge <merged> into <survivor> (type: person or organization)' })
export class EntitiesMergeCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([type, survivorId, mergedId]: string[], options: { note?: string }): Promise<void> {
    const mergeable = await entityType(type);
    const curation = await curationOf(this.runtime);
    const merge = await asUsage(() => curation.merge(mergeable, { survivorId, mergedId, actor: cliActor(), note: options.note ?? null }));
    const { movedCounts } = await import('@qc/database');
    const moved = movedCounts(merge.undo);
    this.out.line(`merged ${type} ${merge.mergedId} into ${merge.survivorId}: ${moved.links} record link(s), ${moved.memberships} membership(s), ${moved.roles} role(s) moved`);
  }
  @Option({ flags: '--note <text>', description: 'why' }) parseNote(v: string) { return v; }
}

@SubCommand({ name: 'unmerge', arguments: '<type> <merged>', description: 'undo the merge that absorbed <merged>' })
export class EntitiesUnmergeCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([type, mergedId]: string[]): Promise<void> {
    const mergeable = await entityType(type);
    const curation = await curationOf(this.runtime);
    const merge = await asUsage(() => curation.unmerge(mergeable, mergedId, cliActor()));
    this.out.line(`unmerged ${type} ${merge.mergedId} from ${merge.survivorId}`);
  }
}

@Command({ name: 'entities', description: 'merge and unmerge canonical persons and organizations', subCommands: [EntitiesMergeCommand, EntitiesUnmergeCommand] })
export class EntitiesCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng entities merge <person|organization> <survivor> <merged> [--note TEXT] | entities unmerge <person|organization> <merged>');
  }
}

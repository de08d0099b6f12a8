import { CommandRunner, Option, SubCommand } from 'nest-commander';
import { Output } from '../output';
import { Runtime } from '../runtime';
import { asUsage, cliActor } from './curation-errors';

const counted = (byType: Record<string, number>) => Object.entries(byType).map(([type, n]) => `${n} ${type}`).join(', ') || 'none';

@SubCommand({ name: 'rollback', arguments: '<batchId>', description: 'roll back a completed batch: remove what its records contributed' })
export class ImportsRollbackCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([batchId]: string[], options: { json?: boolean }): Promise<void> {
    const rollbacks = await this.runtime.get((await import('@qc/registry')).BatchRollbackService, 'registry');
    const result = await asUsage(() => rollbacks.rollback(batchId, cliActor()));
    if (options.json) return this.out.json(result);
    this.out.line(result.message);
    if (!result.rolledBack) return;
    this.out.line(`  links removed        ${result.linksRemoved}`);
    this.out.line(`  memberships removed  ${result.membershipsRemoved}`);
    this.out.line(`  roles removed        ${result.rolesRemoved}`);
    this.out.line(`  joint links removed  ${result.jointMembersRemoved}`);
    this.out.line(`  deleted              ${counted(result.deleted)}`);
    this.out.line(`  restored             ${counted(result.restored)}`);
    this.out.line(`  review tasks withdrawn ${result.reviewTasksWithdrawn}`);
  }
  @Option({ flags: '--json', description: 'print the result as JSON' }) parseJson() { return true; }
}

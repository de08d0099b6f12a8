import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { Output } from '../output';
import { Runtime } from '../runtime';

export const dataSourceOf = async (runtime: Runtime) => runtime.get((await import('typeorm')).DataSource);

/** Applies pending migrations, re-encrypting personal data where a migration needs the key. */
export async function migrate(runtime: Runtime): Promise<string[]> {
  const [{ migrateWithPersonalDataKey }, { PiiCipher }] = await Promise.all([import('@qc/registry'), import('@qc/pii')]);
  return migrateWithPersonalDataKey(await dataSourceOf(runtime), await runtime.get(PiiCipher));
}

@SubCommand({ name: 'migrate', description: 'apply pending schema migrations' })
export class DbMigrateCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const applied = await migrate(this.runtime);
    this.out.line(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date');
  }
}

@SubCommand({ name: 'revert', description: 'revert the last applied migration' })
export class DbRevertCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const { revertLast } = await import('@qc/database');
    this.out.line((await revertLast(await dataSourceOf(this.runtime))) ? 'reverted the last migration' : 'no migration to revert');
  }
}

@SubCommand({ name: 'seed', description: 'load the administrative divisions of Hohhot shipped with the product' })
export class DbSeedCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const divisions = await this.runtime.get((await import('@qc/divisions')).DivisionsService, 'divisions');
    const result = await divisions.seedReference();
    this.out.line(`divisions: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`);
  }
}

@Command({ name: 'db', description: 'database schema and reference data', subCommands: [DbMigrateCommand, DbRevertCommand, DbSeedCommand] })
export class DbCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng db migrate | db revert | db seed');
  }
}

import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { InjectDataSource } from '@nestjs/typeorm';
import { revertLast } from '@qc/database';
import { DivisionsService } from '@qc/divisions';
import { PiiCipher } from '@qc/pii';
import { migrateWithPersonalDataKey } from '@qc/registry';
import { DataSource } from 'typeorm';
import { Output } from '../output';

@SubCommand({ name: 'migrate', description: 'apply pending schema migrations' })
export class DbMigrateCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly cipher: PiiCipher, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const applied = await migrateWithPersonalDataKey(this.dataSource, this.cipher);
    this.out.line(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date');
  }
}

@SubCommand({ name: 'revert', description: 'revert the last applied migration' })
export class DbRevertCommand extends CommandRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line((await revertLast(this.dataSource)) ? 'reverted the last migration' : 'no migration to revert');
  }
}

@SubCommand({ name: 'seed', description: 'load the administrative divisions of Hohhot shipped with the product' })
export class DbSeedCommand extends CommandRunner {
  constructor(private readonly divisions: DivisionsService, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const result = await this.divisions.seedReference();
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

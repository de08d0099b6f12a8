import { Command, CommandRunner } from 'nest-commander';
import { Output } from '../output';
import { appConfig, databaseAddress } from '../runtime';

/** Checks the configuration without starting anything: a bad value is one line naming the setting and its variable. */
@Command({ name: 'config', description: 'check the configuration (config/*.json and the environment) and show where it points' })
export class ConfigCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    const config = await appConfig();
    this.out.line('configuration is valid');
    this.out.line(`  database   ${config.databaseUrl ? databaseAddress(config.databaseUrl) : `embedded PostgreSQL in ${config.dataDir}/pg`}`);
    this.out.line(`  jobs       ${config.redisUrl ? `Redis at ${new URL(config.redisUrl).host}` : 'in this process (no REDIS_URL)'}`);
    this.out.line(`  API        http://${config.host}:${config.port}`);
    this.out.line(`  data       ${config.dataDir}`);
    this.out.line(`  inboxes    ${config.inboxes.map((i) => i.name).join(', ') || 'none'}`);
  }
}

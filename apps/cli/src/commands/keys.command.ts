import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { formatPersonTime } from '@qc/time';
import { userInfo } from 'node:os';
import { Output, UsageError } from '../output';
import { Runtime } from '../runtime';

const apiKeys = async (runtime: Runtime) => runtime.get((await import('@qc/auth')).ApiKeysService, 'keys');

const actor = () => `cli:${userInfo().username}`;

@SubCommand({ name: 'create', description: 'create an API key; the key is printed once, on the last line' })
export class KeysCreateCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(_: string[], options: { name?: string; scopes?: string }): Promise<void> {
    if (!options.name || !options.scopes) throw new UsageError('usage: qingcheng keys create --name NAME --scopes registry:read[,…]');
    const { parseScopes } = await import('@qc/auth');
    const created = await (await apiKeys(this.runtime)).create(options.name, parseScopes(options.scopes), actor());
    this.out.line(`created key ${created.name} with scopes ${created.scopes.join(',')}; it is shown only now:`);
    this.out.line(created.key);
  }
  @Option({ flags: '--name <name>' }) parseName(v: string) { return v; }
  @Option({ flags: '--scopes <scopes>', description: 'comma-separated: registry:read, registry:read-pii, imports:read, imports:write, review:write, admin' }) parseScopes(v: string) { return v; }
}

@SubCommand({ name: 'revoke', arguments: '<name>', description: 'revoke a key by name' })
export class KeysRevokeCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run([name]: string[]): Promise<void> {
    await (await apiKeys(this.runtime)).revoke(name, actor());
    this.out.line(`revoked ${name}`);
  }
}

@SubCommand({ name: 'list', description: 'list keys (never their secrets)' })
export class KeysListCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }
  async run(): Promise<void> {
    for (const k of await (await apiKeys(this.runtime)).list()) {
      this.out.line(`${k.name.padEnd(20)} qc_${k.prefix}_…  ${k.scopes.join(',')}  ${k.revokedAt ? `revoked ${formatPersonTime(k.revokedAt)}` : 'active'}`);
    }
  }
}

@Command({ name: 'keys', description: 'API keys', subCommands: [KeysCreateCommand, KeysRevokeCommand, KeysListCommand] })
export class KeysCommand extends CommandRunner {
  constructor(private readonly out: Output) { super(); }
  async run(): Promise<void> {
    this.out.line('usage: qingcheng keys create --name N --scopes a,b | keys revoke NAME | keys list');
  }
}

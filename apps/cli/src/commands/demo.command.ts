import { Command, CommandRunner, Option } from 'nest-commander';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Output } from '../output';
import { appConfig, Runtime } from '../runtime';
import { migrate } from './db.command';
import { assertCanListen, startApi, untilStopped } from './serve.command';

/** The main job on a fresh machine: schema, reference data, the demo city's files, a read-only key, the API. */
@Command({ name: 'demo', description: 'migrate, seed, import the demo city, create a read-only key and serve the API' })
export class DemoCommand extends CommandRunner {
  constructor(private readonly runtime: Runtime, private readonly out: Output) { super(); }

  async run(_: string[], options: { serve?: boolean }): Promise<void> {
    const [{ DivisionsService }, { ImportsService, progressOf }, { ApiKeysService }, { generateDemoCity }, { describeSummary }] = await Promise.all([
      import('@qc/divisions'), import('@qc/ingestion'), import('@qc/auth'), import('../demo-city'), import('../import-summary'),
    ]);
    // A port in use is said before the imports, not after them.
    const config = await appConfig();
    if (options.serve !== false) await assertCanListen(config.host, config.port);
    // Every service the demo uses, built at once (the migration alone would build without them).
    await this.runtime.open('divisions', 'imports', 'keys');
    const applied = await migrate(this.runtime);
    this.out.line(`schema: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    const seeded = await (await this.runtime.get(DivisionsService, 'divisions')).seedReference();
    this.out.line(`divisions of Hohhot: ${seeded.created} created, ${seeded.updated} updated, ${seeded.unchanged} unchanged`);

    const folder = join(config.dataDir, 'demo-city');
    await generateDemoCity(folder);
    const [imports, queue] = await Promise.all([this.runtime.get(ImportsService, 'imports'), this.runtime.queue()]);
    if (!(await queue.consumersOnline())) await queue.consumeHere();
    for (const file of (await readdir(folder)).filter((f) => !f.startsWith('.') && f !== 'truth').sort()) {
      const batch = await imports.submit(join(folder, file), 'demo');
      const summary = await imports.waitFor(batch.id, (b) => this.out.progress(b.fileName, progressOf(b)));
      this.out.endProgress();
      for (const line of describeSummary(summary)) this.out.line(line);
    }

    const key = await (await this.runtime.get(ApiKeysService, 'keys')).create(`demo-reader-${Date.now().toString(36)}`, ['registry:read'], 'demo');
    if (options.serve === false) {
      this.out.line(key.key);
      return;
    }
    const app = await startApi();
    const url = `http://${config.host}:${config.port}`;
    this.out.line('');
    this.out.line(`API listening on ${url} (OpenAPI docs at ${url}/docs). Try, with a read-only key:`);
    this.out.line(`  curl -H "Authorization: Bearer ${key.key}" ${url}/v1/divisions/150105`);
    this.out.line(`The workbench (导入, 审核, 报表) is at ${url}/ : sign in with that key to read; to import, review and roll back, with a key from`);
    this.out.line('  npm run cli -- keys create --name steward --scopes imports:write,review:write,admin');
    this.out.line('Ctrl-C stops it.');
    await untilStopped();
    await app.close();
  }

  @Option({ flags: '--no-serve', description: 'stop after the imports and print the read-only key' })
  parseNoServe(): boolean {
    return false;
  }
}

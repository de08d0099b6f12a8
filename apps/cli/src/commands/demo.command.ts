import { Command, CommandRunner, Option } from 'nest-commander';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiKeysService } from '@qc/auth';
import { AppConfig } from '@qc/config';
import { DivisionsService } from '@qc/divisions';
import { ImportsService } from '@qc/ingestion';
import { JobQueue } from '@qc/jobs';
import { PiiCipher } from '@qc/pii';
import { migrateWithPersonalDataKey } from '@qc/registry';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { serveApi } from '../../../api/src/bootstrap';
import { generateDemoCity } from '../demo-city';
import { Output } from '../output';
import { describeSummary } from './import.command';
import { untilStopped } from './serve.command';

/** The main job on a fresh machine: schema, reference data, the demo city's files, a read-only key, the API. */
@Command({ name: 'demo', description: 'migrate, seed, import the demo city, create a read-only key and serve the API' })
export class DemoCommand extends CommandRunner {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly divisions: DivisionsService,
    private readonly imports: ImportsService,
    private readonly queue: JobQueue,
    private readonly keys: ApiKeysService,
    private readonly config: AppConfig,
    private readonly out: Output,
    private readonly cipher: PiiCipher,
  ) { super(); }

  async run(_: string[], options: { serve?: boolean }): Promise<void> {
    const applied = await migrateWithPersonalDataKey(this.dataSource, this.cipher);
    this.out.line(`schema: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
    const seeded = await this.divisions.seedReference();
    this.out.line(`divisions of Hohhot: ${seeded.created} created, ${seeded.updated} updated, ${seeded.unchanged} unchanged`);

    const folder = join(this.config.dataDir, 'demo-city');
    await generateDemoCity(folder);
    if (!(await this.queue.consumersOnline())) await this.queue.consumeHere();
    for (const file of (await readdir(folder)).filter((f) => !f.startsWith('.') && f !== 'truth').sort()) {
      const batch = await this.imports.submit(join(folder, file), 'demo');
      const summary = await this.imports.waitFor(batch.id);
      for (const line of describeSummary(summary)) this.out.line(line);
    }

    const key = await this.keys.create(`demo-reader-${Date.now().toString(36)}`, ['registry:read'], 'demo');
    if (options.serve === false) {
      this.out.line(key.key);
      return;
    }
    const app = await serveApi();
    const url = `http://${this.config.host}:${this.config.port}`;
    this.out.line('');
    this.out.line(`API listening on ${url} (OpenAPI docs at ${url}/docs). Try, with a read-only key:`);
    this.out.line(`  curl -H "Authorization: Bearer ${key.key}" ${url}/v1/divisions/150105`);
    this.out.line('Ctrl-C stops it.');
    await untilStopped();
    await app.close();
  }

  @Option({ flags: '--no-serve', description: 'stop after the imports and print the read-only key' })
  parseNoServe(): boolean {
    return false;
  }
}

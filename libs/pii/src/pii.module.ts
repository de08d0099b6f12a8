import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@qc/config';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PersonalDataReader } from './personal-data-reader';
import { PiiCipher } from './pii-cipher';

/**
 * The key comes from QC_PII_KEY (base64, 32+ bytes). Without it, a key is generated once into the
 * data folder (mode 600) so the embedded defaults work; production sets the variable.
 */
export function loadPiiKey(config: AppConfig): Buffer {
  if (config.piiKey) return Buffer.from(config.piiKey, 'base64');
  const file = join(config.dataDir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

@Global()
@Module({
  providers: [
    { provide: PiiCipher, inject: [AppConfig], useFactory: (config: AppConfig) => new PiiCipher(loadPiiKey(config)) },
    PersonalDataReader,
  ],
  exports: [PiiCipher, PersonalDataReader],
})
export class PiiModule {}
